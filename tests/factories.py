"""factory_boy factories shared by the test suite."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from institutions.models import Province, UserProfile
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
