"""Made-up people and words for the seeder: names, departments, titles and post texts.

Everything is drawn from a :class:`random.Random` the caller owns, so one seed number always
makes the same company.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# The name lists read best as text.
FIRST_NAMES = (  # noqa: SIM905
    "Ada Alan Alice Amir Ana Anders Anna Arjun Aya Ben Bianca Carla Carlos Chen Chloe Dana "
    "Daniel David Diego Elena Elif Emil Emma Erik Eva Farah Felix Fatima Grace Hana Hannah "
    "Hugo Ines Ivan Jakob James Jana Jonas Jose Julia Kai Karin Kenji Laila Lars Laura Lena "
    "Leo Lina Lucas Luis Maja Marco Maria Marie Mark Marta Maya Mei Mia Mikael Mira Nadia "
    "Nina Noah Nora Olga Omar Oscar Paula Pedro Priya Rafael Rahul Rosa Ruth Sam Sara Selin "
    "Simon Sofia Sven Tariq Tess Theo Tomas Uma Vera Victor Yara Yusuf Zoe"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Abbott Adler Ahmed Alvarez Andersen Baker Bauer Becker Berg Brandt Brown Carter Castro "
    "Chen Costa Cruz Dahl Davies Diaz Dubois Eriksen Evans Fischer Fontaine Garcia Gomez "
    "Green Hansen Hartmann Hoffmann Holm Hughes Ivanova Jensen Johansson Kaya Keller Khan Kim "
    "Klein Koch Kowalski Kruger Larsen Laurent Lehmann Lindqvist Lopez Martin Meyer Moreau "
    "Muller Murphy Nakamura Nguyen Nielsen Novak Olsen Ortiz Park Patel Perez Peters Popescu "
    "Quinn Ramos Reyes Richter Rossi Russo Santos Sato Schmidt Schulz Silva Singh Smith Sousa "
    "Suzuki Tanaka Taylor Torres Vogel Wagner Walker Wang Weber Wilson Wolf Yilmaz Young "
    "Zhang Ziegler"
).split()
#: department -> job titles in it; the first department's share of people is the largest
DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "Engineering": ("Software Engineer", "Senior Engineer", "Engineering Manager", "QA Analyst"),
    "Sales": ("Account Executive", "Sales Manager", "Sales Assistant"),
    "Operations": ("Operations Analyst", "Logistics Coordinator", "Operations Manager"),
    "Customer Service": ("Support Agent", "Team Lead", "Service Manager"),
    "Marketing": ("Marketing Specialist", "Content Writer", "Designer", "Brand Manager"),
    "Finance": ("Accountant", "Financial Analyst", "Controller", "Payroll Specialist"),
    "Human Resources": ("HR Partner", "Recruiter", "Learning Coordinator"),
    "IT": ("Systems Administrator", "Network Engineer", "Help Desk Technician"),
    "Legal": ("Counsel", "Paralegal", "Compliance Officer"),
    "Facilities": ("Facilities Coordinator", "Office Manager", "Maintenance Technician"),
    "Research": ("Research Scientist", "Lab Technician", "Data Analyst"),
    "Executive Office": ("Executive Assistant", "Chief of Staff", "Director"),
}
DEPARTMENT_WEIGHTS = (22, 14, 12, 11, 8, 7, 5, 6, 3, 4, 6, 2)
LOCATIONS = ("Head office", "North site", "Harbour office", "Plant 2", "Remote", "East campus")

_SUBJECTS = (
    "The new coffee machine",
    "Our quarterly review",
    "The team offsite",
    "Friday's demo",
    "The canteen menu",
    "The parking plan",
    "Our release",
    "The safety drill",
    "The onboarding guide",
    "The summer party",
    "The budget draft",
    "The customer workshop",
    "The server migration",
    "The charity run",
    "The new printer",
    "Our project board",
)
_PREDICATES = (
    "went really well",
    "is ready for feedback",
    "needs one more pair of eyes",
    "moved to next Tuesday",
    "was a great success",
    "starts at nine sharp",
    "is in the shared folder now",
    "made my week",
    "needs volunteers",
    "is finally done",
    "got great reviews",
    "is open to everyone",
)
_CLOSERS = (
    "Thanks, everyone!",
    "Questions welcome.",
    "See you there.",
    "Well done, team.",
    "Coffee is on me.",
    "Let me know what you think.",
    "Great work!",
    "Happy Friday!",
    "Who is in?",
    "Details below.",
    "More soon.",
    "Bring a friend.",
)
_COMMENTS = (
    "Great news!",
    "Count me in.",
    "Thanks for sharing.",
    "Well deserved!",
    "Congratulations!",
    "Looks good to me.",
    "See you there!",
    "Nice one.",
    "Love this.",
    "Happy to help.",
    "Where do I sign up?",
    "Agreed.",
    "This is brilliant.",
    "Thank you!",
    "Good point.",
)
ANNOUNCEMENTS = (
    "Welcome to our intranet! Post updates, photos and videos, and say happy birthday.",
    "The offices close at noon on the last working day of the year. Enjoy the holidays!",
    "Please complete the annual security training by the end of the month.",
)
#: must-read posts for everyone, written by the admin
MUST_READS = (
    "New travel policy: book every trip through the travel desk from the first of next month.",
    "The building is closed on Saturday for electrical work. Please take your laptop home.",
)
#: must-read posts in a space, written by one of its owners
SPACE_MUST_READS = (
    "Our team meeting moves to Thursdays at ten from next week. Please update your calendar.",
    "Read the new on-call rota before Monday: it changes who covers the weekends.",
    "The shared drive for this group moves to the new server tonight; save your work first.",
)


@dataclass(frozen=True)
class Person:
    username: str
    email: str
    name: str
    department: str
    title: str
    location: str
    phone: str
    bio: str
    birthday_month: int
    birthday_day: int
    birth_year: int | None


class PeopleMaker:
    """Makes people with unique usernames (``first.last``, numbered when taken)."""

    def __init__(self, rng: random.Random, email_domain: str = "corp.example") -> None:
        self.rng = rng
        self.email_domain = email_domain
        self._taken: dict[str, int] = {}
        self._departments = list(DEPARTMENTS)

    def unique_username(self, base: str) -> str:
        count = self._taken.get(base, 0) + 1
        self._taken[base] = count
        return base if count == 1 else f"{base}{count}"

    def department(self) -> str:
        return self.rng.choices(self._departments, weights=DEPARTMENT_WEIGHTS)[0]

    def person(self, department: str | None = None) -> Person:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        username = self.unique_username(f"{first}.{last}".lower())
        department = department or self.department()
        month, day = birthday(rng)
        year: int | None = rng.randint(1960, 2003) if rng.random() < 0.7 else None
        if (month, day) == (2, 29) and year is not None:
            year = rng.choice((1964, 1972, 1980, 1988, 1996))
        return Person(
            username=username,
            email=f"{username}@{self.email_domain}",
            name=f"{first} {last}",
            department=department,
            title=rng.choice(DEPARTMENTS[department]),
            location=rng.choice(LOCATIONS),
            phone=f"ext. {rng.randint(1000, 9999)}",
            bio=f"{department} at the {rng.choice(LOCATIONS).lower()}."
            if rng.random() < 0.4
            else "",
            birthday_month=month,
            birthday_day=day,
            birth_year=year,
        )


_MONTH_LENGTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def birthday(rng: random.Random) -> tuple[int, int]:
    """A (month, day) spread evenly over a leap year, so 29 February turns up too."""
    day_of_year = rng.randrange(sum(_MONTH_LENGTHS))
    for month, length in enumerate(_MONTH_LENGTHS, start=1):
        if day_of_year < length:
            return month, day_of_year + 1
        day_of_year -= length
    raise AssertionError("unreachable")


class TextMaker:
    """Post and comment texts from a pool of sentences made once (fast to draw from)."""

    def __init__(self, rng: random.Random, pool_size: int = 4000) -> None:
        self.rng = rng
        self._sentences = [
            f"{rng.choice(_SUBJECTS)} {rng.choice(_PREDICATES)}. {rng.choice(_CLOSERS)}"
            for _ in range(pool_size)
        ]

    def post(self, mention: str | None = None) -> str:
        rng = self.rng
        parts = rng.choices(self._sentences, k=rng.randint(1, 4))
        if mention:
            parts.append(f"Thanks @{mention}!")
        return "\n".join(parts) if len(parts) > 2 else " ".join(parts)

    def comment(self) -> str:
        return self.rng.choice(_COMMENTS)
