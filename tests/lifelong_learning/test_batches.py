"""lifelong_learning/batches.py: the all-or-nothing import in batches, its
retry after a lost unique-constraint race, and the keys seen so far."""

import os

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError

from lifelong_learning.batches import (
    ImportPass,
    ImportResult,
    SeenKeys,
    import_all_or_nothing,
    rows_opener,
)
from lifelong_learning.tabular import RowError, RowErrors, TableError

RACE = "The data changed meanwhile; nothing was written."
PREFIX = "batches-test-"


class GroupPass(ImportPass):
    """Creates a group per row named by its ``name``; a row named ``bad`` is
    an error; the first ``races`` writing passes lose a race."""

    races = 0
    passes = 0
    announced: list[int] = []

    def __init__(self, *, write: bool = True, keep: int | None = None):
        super().__init__(write=write)
        self.result = ImportResult(errors=RowErrors(keep=keep))
        self.seen = SeenKeys()
        self.rows_read: list[int] = []
        type(self).passes += 1

    batch_size = 2

    def take(self, row, values):
        self.rows_read.append(row)
        if values["name"] == "bad":
            self.result.errors.append(RowError(row, "name", "bad", "bad name"))
        else:
            self.batch.append(values["name"])

    def check_batch(self, batch):
        self.result.new += len(batch)
        if self.write and not self.result.errors:
            Group.objects.bulk_create(Group(name=PREFIX + name) for name in batch)
            if type(self).passes <= type(self).races:
                raise IntegrityError("lost the race")

    def announce(self):
        type(self).announced.append(self.result.new)


@pytest.fixture
def group_pass():
    GroupPass.races = 0
    GroupPass.passes = 0
    GroupPass.announced = []
    return GroupPass


def writing(pass_class):
    return lambda write: pass_class(write=write)


def imported():
    return Group.objects.filter(name__startswith=PREFIX)


def named(*names):
    return ((row, {"name": name}) for row, name in enumerate(names, start=2))


@pytest.mark.django_db
def test_a_generator_of_rows_is_read_again_after_a_lost_race(group_pass):
    group_pass.races = 1

    result = import_all_or_nothing(
        named("a", "b", "c"), new_pass=writing(group_pass), race_message=RACE
    )

    assert group_pass.passes == 2
    assert (result.new, result.written, result.ok) == (3, True, True)
    names = imported().values_list("name", flat=True)
    assert sorted(names) == [PREFIX + "a", PREFIX + "b", PREFIX + "c"]
    assert group_pass.announced == [3]


@pytest.mark.django_db
def test_races_lost_every_time_write_nothing_and_say_so(group_pass):
    group_pass.races = 3

    result = import_all_or_nothing(
        named("a", "b", "c"), new_pass=writing(group_pass), race_message=RACE
    )

    assert group_pass.passes == 3
    assert not result.written
    assert [error.message for error in result.errors] == [RACE]
    assert not imported().exists()
    assert group_pass.announced == []


@pytest.mark.django_db
def test_an_error_after_written_batches_undoes_them_all(group_pass):
    result = import_all_or_nothing(
        named("a", "b", "c", "d", "bad", "e"),
        new_pass=writing(group_pass),
        race_message=RACE,
    )

    assert group_pass.passes == 1
    assert [(error.row, error.column) for error in result.errors] == [(6, "name")]
    assert result.new == 5  # every row was still checked
    assert not result.written
    assert not imported().exists()
    assert group_pass.announced == []


@pytest.mark.django_db
def test_a_function_of_rows_is_called_for_each_reading(group_pass):
    group_pass.races = 1
    readings = []

    def rows():
        readings.append(True)
        return named("a", "b")

    result = import_all_or_nothing(
        rows, new_pass=writing(group_pass), race_message=RACE
    )

    assert result.new == 2
    assert len(readings) == 2


def test_reading_stops_once_the_errors_are_full(group_pass):
    reading = group_pass(write=False, keep=2)

    result = reading.run(named("bad", "a", "bad", "bad", "b"))

    assert reading.rows_read == [2, 3, 4]
    assert result.errors.stopped_at == 4
    assert result.new == 1  # the batch taken before the stop is checked too


def test_an_unreadable_file_is_an_error_of_the_pass(group_pass):
    def rows():
        yield 2, {"name": "a"}
        raise TableError([RowError(3, "", "", "not UTF-8 text")])

    result = group_pass(write=False).run(rows())

    assert [(e.row, e.message) for e in result.errors] == [(3, "not UTF-8 text")]
    assert result.new == 1


def test_a_one_shot_iterator_gives_its_rows_and_its_error_on_every_reading():
    def rows():
        yield 2, {"name": "a"}
        raise TableError([RowError(3, "", "", "not UTF-8 text")])

    reopen = rows_opener(rows())
    for _reading in range(2):
        read = []
        with pytest.raises(TableError):
            for row, _values in reopen():
                read.append(row)
        assert read == [2]


def test_a_collection_or_reader_is_read_as_it_is():
    rows = [(2, {"name": "a"})]

    assert rows_opener(rows)() is rows


def test_seen_keys_give_the_first_row_of_a_repeat_in_memory_and_on_disk():
    with SeenKeys(memory_keys=3) as seen:
        assert [seen.first_row(key, row) for row, key in enumerate("abcdefg", 2)] == [
            None
        ] * 7
        directory = seen._directory.name
        assert os.path.exists(directory)  # "a" to "f" moved to the file
        assert seen.first_row("a", 20) == 2  # on disk
        assert seen.first_row("g", 21) == 8  # in memory
        assert seen.first_row("h", 22) is None
        assert seen.first_row("h", 23) == 22
    assert not os.path.exists(directory)
