"""Names of persons and organisations, from one seeded Faker('zh_CN').

Faker's own ``last_name()`` recomputes its surname weights on every call (about 50 µs); the
same weighted choice is made here from Faker's zh_CN surname table with the Faker instance's
own seeded random generator, which keeps a nation of a million persons fast.
"""

from __future__ import annotations

import itertools

from faker import Faker
from faker.providers.person.zh_CN import Provider as PersonProvider

from socialcredit.synth.regions import Region

SHOP_KINDS = (
    "便利店",
    "餐馆",
    "面馆",
    "五金店",
    "理发店",
    "水果店",
    "汽车修理部",
    "服装店",
    "茶行",
)


class Names:
    """Deterministic names: the n-th call returns the same name for the same seed."""

    def __init__(self, seed: int) -> None:
        self._fake = Faker("zh_CN")
        self._fake.seed_instance(seed)
        table = PersonProvider.last_names
        self._surnames = tuple(table)
        self._cumulative = tuple(itertools.accumulate(float(table[s]) for s in self._surnames))

    def person(self, male: bool) -> tuple[str, str]:
        """A (surname, full name) pair whose given name matches the sex."""
        surname = self._fake.random.choices(self._surnames, cum_weights=self._cumulative)[0]
        given = self._fake.first_name_male() if male else self._fake.first_name_female()
        return surname, surname + given

    def company(self, region: Region) -> str:
        """A company name led by its city, e.g. 杭州鸿睿思博科技有限公司."""
        return f"{region.short_city}{self._fake.company()}"

    def shop(self, region: Region, surname: str) -> str:
        """An individual business's name, e.g. 朝阳区王记面馆."""
        return f"{region.county}{surname}记{self._fake.random.choice(SHOP_KINDS)}"
