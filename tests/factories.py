"""factory_boy factories shared by the test suite."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from institutions.models import (
    Category,
    Commune,
    FormerProvince,
    Institution,
    Province,
    UserProfile,
)
from lifelong_learning.roles import Role

TEST_PASSWORD = "pass-1520"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; ``role=`` puts them in a role group, ``province=`` (a Province or
    its code) binds them to a province."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if extracted:
            obj.groups.add(Group.objects.get(name=extracted))
            obj.is_staff = extracted == Role.ADMINISTRATOR
        obj.save()

    @factory.post_generation
    def province(obj, create, extracted, **kwargs):
        if isinstance(extracted, str):
            extracted = Province.objects.get(code=extracted)
        UserProfile.objects.update_or_create(user=obj, defaults={"province": extracted})


class InstitutionFactory(factory.django.DjangoModelFactory):
    """An institution, by default a provincial library in Hà Nội (01) opened
    in 2000; ``province=`` (and ``commune=``, ``former_province=``) may be codes."""

    class Meta:
        model = Institution
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"INST-{n:05d}")
    name = factory.Sequence(lambda n: f"Thư viện số {n}")
    category = Category.LIBRARY_PROVINCIAL
    province = factory.LazyFunction(lambda: Province.objects.get(code="01"))
    opened_year = 2000

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        for name, model in (
            ("province", Province),
            ("commune", Commune),
            ("former_province", FormerProvince),
        ):
            if isinstance(kwargs.get(name), str):
                kwargs[name] = model.objects.get(code=kwargs[name])
        return kwargs


class ReportFactory(factory.django.DjangoModelFactory):
    """An annual report for 2024 of a new provincial library (Hà Nội), a draft
    with no value; pass values as keyword arguments (``lll_services=True``).
    Saved directly, without the services: use it to set up a state."""

    class Meta:
        model = "reports.AnnualReport"
        django_get_or_create = ("institution", "year")

    institution = factory.SubFactory(InstitutionFactory)
    year = 2024
    status = "draft"
