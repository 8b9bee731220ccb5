"""factory_boy factories for the claim domain."""

from __future__ import annotations

import factory
from django.contrib.auth.models import User

from claims.models import Article, Claim, Claimant, Evidence, Source, StatusChange


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example")
    password = factory.django.Password("correct-horse-battery-staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claimant

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Claimant.Kind.ORGANISATION


class PersonFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Person {n}")
    kind = Claimant.Kind.PERSON


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = factory.SubFactory(OrganisationFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Source {n}")
    kind = Source.Kind.WEB
    url = factory.Sequence(lambda n: f"https://news{n}.example/story")
    publisher = factory.SubFactory(OrganisationFactory)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim
        skip_postgeneration_save = True

    text = factory.Sequence(lambda n: f"Forces advanced {n} km overnight.")
    claimant = factory.SubFactory(OrganisationFactory)
    article = factory.SubFactory(ArticleFactory)
    status = Claim.Status.UNVERIFIED

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            StatusChange.objects.create(
                claim=obj,
                from_status="",
                to_status=obj.status,
                rationale="Recorded.",
                via="import",
                version=obj.version,
            )


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    role = Evidence.Role.MADE
    quote = ""
