"""The load test's users: think times and requests per task (read by
``bench/locustfile.py``), and the request rate they offer (``bench/load.py``)."""

# Seconds a user waits after a task before the next (uniform), and the
# requests one task makes.
READER_WAIT = (1.0, 3.0)
READER_REQUESTS = 1
OFFICER_WAIT = (2.0, 5.0)
OFFICER_REQUESTS = 2  # the form, then its save (locust follows the redirect in it)


def offered_rps(readers: int, officers: int) -> float:
    """Requests per second the users would send if every answer were
    instant: each user's requests per task over its mean think time."""
    reader_rate = READER_REQUESTS / (sum(READER_WAIT) / 2)
    officer_rate = OFFICER_REQUESTS / (sum(OFFICER_WAIT) / 2)
    return readers * reader_rate + officers * officer_rate
