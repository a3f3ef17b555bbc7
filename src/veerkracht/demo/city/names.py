"""Names: people (pools drawn once from a seeded Faker), streets, districts and neighbourhoods.

Faker is far too slow to call once per resident, so each pool is drawn once (duplicates kept, so
common names stay common) and residents are drawn from the pools with ``random.Random``.
"""

import random
import unicodedata
from dataclasses import dataclass
from functools import cache

from faker import Faker

# Dutch surname particles (tussenvoegsels), longest first so "van der" wins over "van".
TUSSENVOEGSELS = (
    "van der",
    "van den",
    "van de",
    "van het",
    "de la",
    "van 't",
    "in 't",
    "in de",
    "op de",
    "op den",
    "uit de",
    "uit den",
    "van",
    "de",
    "den",
    "der",
    "die",
    "ter",
    "ten",
    "te",
    "het",
    "'t",
    "'s",
    "la",
    "le",
    "du",
    "d'",
)

# First names by generation: Faker's nl_NL lists are today's baby names, so older residents get
# the names common when they were born (Meertens Instituut, Nederlandse Voornamenbank).
OLDER_DUTCH_MALE = (
    "Jan",
    "Kees",
    "Piet",
    "Henk",
    "Gerrit",
    "Willem",
    "Johannes",
    "Cornelis",
    "Hendrik",
    "Gerard",
    "Theo",
    "Wim",
    "Joop",
    "Ad",
    "Bert",
    "Hans",
    "Jaap",
    "Rinus",
    "Frans",
    "Klaas",
    "Dirk",
    "Harry",
    "Leo",
    "Ton",
    "Cor",
    "Jacobus",
    "Martinus",
    "Anton",
    "Huub",
    "Sjaak",
)
OLDER_DUTCH_FEMALE = (
    "Maria",
    "Johanna",
    "Cornelia",
    "Wilhelmina",
    "Anna",
    "Geertruida",
    "Elisabeth",
    "Hendrika",
    "Ria",
    "Truus",
    "Gerda",
    "Joke",
    "Annie",
    "Riet",
    "Corrie",
    "Tineke",
    "Els",
    "Marianne",
    "Ineke",
    "Greet",
    "Bep",
    "Nel",
    "Door",
    "Mien",
    "Jo",
    "Lies",
    "Wil",
    "Toos",
    "Hennie",
    "Margriet",
)
MIDDLE_DUTCH_MALE = (
    "Peter",
    "Marco",
    "Erik",
    "Mark",
    "Richard",
    "Martin",
    "Robert",
    "Jeroen",
    "Arjan",
    "Dennis",
    "Sander",
    "Bas",
    "Marcel",
    "Edwin",
    "Ronald",
    "Patrick",
    "René",
    "Michel",
    "Paul",
    "Rob",
    "Frank",
    "Remco",
    "Wouter",
    "Jasper",
    "Maarten",
    "Niels",
    "Vincent",
    "Roy",
    "Martijn",
    "Stefan",
)
MIDDLE_DUTCH_FEMALE = (
    "Monique",
    "Sandra",
    "Petra",
    "Marieke",
    "Linda",
    "Ingrid",
    "Esther",
    "Wendy",
    "Karin",
    "Anja",
    "Saskia",
    "Mirjam",
    "Yvonne",
    "Astrid",
    "Marloes",
    "Judith",
    "Kim",
    "Miranda",
    "Ellen",
    "Nicole",
    "Annemieke",
    "Chantal",
    "Ilse",
    "Manon",
    "Femke",
    "Mariska",
    "Jolanda",
    "Bianca",
    "Sabine",
    "Anouk",
)

# Faker's tr_TR first names are mostly rare ones; these are common among Turkish Dutch.
TURKISH_MALE = (
    "Mehmet",
    "Ahmet",
    "Mustafa",
    "Hüseyin",
    "Ali",
    "Murat",
    "Emre",
    "Hakan",
    "Kemal",
    "Osman",
    "İbrahim",
    "Yusuf",
    "Hasan",
    "Burak",
    "Serkan",
    "Erdal",
    "Metin",
    "Kerem",
    "Emir",
    "Deniz",
)
TURKISH_FEMALE = (
    "Fatma",
    "Ayşe",
    "Emine",
    "Hatice",
    "Zeynep",
    "Elif",
    "Esra",
    "Merve",
    "Büşra",
    "Selin",
    "Hülya",
    "Sevgi",
    "Gül",
    "Derya",
    "Özlem",
    "Songül",
    "Yasemin",
    "Ebru",
    "Naz",
    "Melek",
)
MOROCCAN_MALE = (
    "Mohamed",
    "Ahmed",
    "Youssef",
    "Said",
    "Mustafa",
    "Abdelkader",
    "Hassan",
    "Karim",
    "Rachid",
    "Mimoun",
    "Ali",
    "Driss",
    "Omar",
    "Bilal",
    "Anouar",
    "Ilias",
    "Adam",
    "Ayoub",
    "Hamza",
    "Zakaria",
    "Mohammed",
)
MOROCCAN_FEMALE = (
    "Fatima",
    "Khadija",
    "Aicha",
    "Naima",
    "Malika",
    "Zohra",
    "Samira",
    "Hanan",
    "Nadia",
    "Latifa",
    "Souad",
    "Rachida",
    "Meryem",
    "Noor",
    "Yasmina",
    "Sara",
    "Imane",
    "Salma",
    "Hiba",
    "Ikram",
    "Fatiha",
)
MOROCCAN_SURNAMES = (
    "El Amrani",
    "Bouzid",
    "Azzouzi",
    "El Idrissi",
    "Benali",
    "Ouali",
    "Chakir",
    "Boukhari",
    "Tahiri",
    "Bakkali",
    "Aarab",
    "El Hamdaoui",
    "Mokhtari",
    "Ziani",
    "Belhaj",
    "Amrani",
    "Haddou",
    "Ouahbi",
    "El Khayati",
    "Bouchta",
    "Essaidi",
    "El Bouzidi",
    "Azarkan",
    "Lamrabet",
    "Yahyaoui",
    "Akhiat",
    "El Ouazzani",
    "Abdellaoui",
    "Achaoui",
    "Ait Taleb",
)
ARABIC_MALE = (
    "Ahmad",
    "Mohammad",
    "Omar",
    "Khaled",
    "Yazan",
    "Rami",
    "Fadi",
    "Tarek",
    "Samer",
    "Hussein",
    "Majd",
    "Ibrahim",
    "Mahmoud",
    "Anas",
    "Wassim",
)
ARABIC_FEMALE = (
    "Rama",
    "Lina",
    "Rasha",
    "Hala",
    "Dima",
    "Maya",
    "Rania",
    "Noor",
    "Aya",
    "Sana",
    "Reem",
    "Layla",
    "Amal",
    "Ghada",
    "Hiba",
)
ARABIC_SURNAMES = (
    "Al-Hassan",
    "Haddad",
    "Khalil",
    "Nasser",
    "Shami",
    "Hamdan",
    "Issa",
    "Saleh",
    "Kassem",
    "Jaber",
    "Mansour",
    "Youssef",
    "Haj Ali",
    "Al-Ahmad",
    "Othman",
    "Darwish",
    "Al-Khatib",
    "Sabbagh",
)
ERITREAN_MALE = ("Yonas", "Filmon", "Tesfay", "Habtom", "Dawit", "Samuel", "Merhawi", "Robel", "Amanuel", "Biniam")
ERITREAN_FEMALE = ("Semhar", "Helen", "Selam", "Luwam", "Saba", "Ruth", "Senait", "Yordanos", "Feven", "Hiwet")
ERITREAN_SURNAMES = (
    "Tesfamariam",
    "Gebremedhin",
    "Haile",
    "Kidane",
    "Berhane",
    "Tekle",
    "Ghebreab",
    "Abraha",
    "Tewelde",
    "Weldemichael",
    "Habte",
    "Mehari",
)
SOMALI_MALE = ("Abdi", "Mahad", "Abdirahman", "Mohamed", "Ahmed", "Hassan", "Abdullahi", "Omar", "Yusuf", "Liban")
SOMALI_FEMALE = ("Hodan", "Fartun", "Ayaan", "Hibo", "Faadumo", "Sahra", "Amina", "Ifrah", "Nimco", "Deeqa")
SOMALI_SURNAMES = ("Warsame", "Farah", "Hassan", "Ali", "Abdullahi", "Osman", "Jama", "Nur", "Egal", "Hirsi", "Aden")
SURINAMESE_MALE = (
    "Rakesh",
    "Anil",
    "Sunil",
    "Radjesh",
    "Kiran",
    "Sanjay",
    "Errol",
    "Romeo",
    "Glenn",
    "Clyde",
    "Ricardo",
    "Marvin",
    "Roy",
    "Edgar",
    "Stanley",
)
SURINAMESE_FEMALE = (
    "Shanti",
    "Sharmila",
    "Anita",
    "Priya",
    "Reshma",
    "Indira",
    "Joyce",
    "Gracia",
    "Marlene",
    "Sharon",
    "Ingrid",
    "Sandra",
    "Denise",
    "Lucretia",
    "Sarita",
)
SURINAMESE_SURNAMES = (
    "Ramdin",
    "Jagessar",
    "Sewdien",
    "Ramcharan",
    "Kartoredjo",
    "Pinas",
    "Sital",
    "Bisoen",
    "Mahabier",
    "Ramlal",
    "Doerga",
    "Kromodimedjo",
    "Slagtand",
    "Dors",
    "Vlijter",
    "Wijngaarde",
    "Lie",
    "Nerkust",
    "Sno",
    "Soekhoe",
    "Jadnanansing",
    "Tjon",
    "Amatmoekrim",
)
ANTILLEAN_MALE = (
    "Jurgen",
    "Shurandy",
    "Rignald",
    "Gianni",
    "Ronchi",
    "Jeandro",
    "Ivan",
    "Eduardo",
    "Rudsel",
    "Giovanni",
)
ANTILLEAN_FEMALE = ("Shahaira", "Jusmarie", "Rosalyn", "Sharlene", "Giselle", "Natasha", "Rose", "Lisandra", "Minerva")
ANTILLEAN_SURNAMES = (
    "Martina",
    "Rosaria",
    "Isenia",
    "Francisca",
    "Winklaar",
    "Cijntje",
    "Martis",
    "Koeiman",
    "Statia",
    "Pieternella",
    "Felida",
    "Daal",
    "Girigorie",
    "Wout",
    "Maduro",
    "Sulvaran",
)
UKRAINIAN_MALE = ("Oleksandr", "Andriy", "Dmytro", "Serhiy", "Mykola", "Yuriy", "Taras", "Bohdan", "Maksym", "Ivan")
UKRAINIAN_FEMALE = ("Yulia", "Olena", "Iryna", "Natalia", "Oksana", "Kateryna", "Tetiana", "Svitlana", "Anastasia")
UKRAINIAN_SURNAMES = (
    "Kovalenko",
    "Shevchenko",
    "Bondarenko",
    "Tkachenko",
    "Kravchenko",
    "Melnyk",
    "Boyko",
    "Koval",
    "Oliynyk",
    "Lysenko",
    "Marchenko",
    "Savchenko",
)
PERSIAN_MALE = ("Ahmad", "Mohammad", "Ali", "Reza", "Farid", "Hamid", "Mehdi", "Jawad", "Nasir", "Omid")
PERSIAN_FEMALE = ("Fatemeh", "Zahra", "Maryam", "Shirin", "Parisa", "Mina", "Laleh", "Nazanin", "Mahsa", "Roya")
PERSIAN_SURNAMES = (
    "Ahmadi",
    "Hosseini",
    "Rezaei",
    "Mohammadi",
    "Karimi",
    "Rahimi",
    "Sultani",
    "Azizi",
    "Noori",
    "Hashimi",
)
INDO_SURNAMES = ("Tan", "Lim", "Pattiasina", "Latumahina", "Tahitu", "Soeters", "Siahaya", "Loupatty", "Kho", "Oei")


@dataclass(frozen=True, slots=True)
class Origin:
    """A country or region of origin, with the languages its migrants and their children speak."""

    key: str
    weight: float  # share among residents with a migration background
    # (ISO code, chance for the first generation, chance for the second generation)
    languages: tuple[tuple[str, float, float], ...]
    dutch_first_generation: float  # chance that a first-generation migrant speaks Dutch


# Origins of residents with a migration background (CBS "Bevolking; migratieachtergrond",
# 2022, rounded and grouped; the shares sum to 1).
ORIGINS: tuple[Origin, ...] = (
    Origin("turkish", 0.13, (("tr", 0.98, 0.75),), 0.60),
    Origin("moroccan", 0.13, (("ar", 0.60, 0.40), ("ber", 0.55, 0.30)), 0.60),
    Origin("surinamese", 0.10, (("srn", 0.25, 0.10), ("hi", 0.15, 0.03), ("en", 0.15, 0.25)), 1.00),
    Origin("antillean", 0.05, (("pap", 0.90, 0.55), ("en", 0.30, 0.30), ("es", 0.15, 0.05)), 0.90),
    Origin("indonesian", 0.08, (("en", 0.10, 0.30),), 1.00),  # Indo-Dutch families speak Dutch at home
    Origin("german", 0.08, (("de", 0.95, 0.35),), 0.80),
    Origin("polish", 0.07, (("pl", 0.99, 0.70), ("en", 0.40, 0.50)), 0.45),
    Origin("romanian", 0.02, (("ro", 0.99, 0.70), ("en", 0.40, 0.50)), 0.40),
    Origin("ukrainian", 0.03, (("uk", 0.99, 0.80), ("ru", 0.60, 0.30), ("en", 0.30, 0.50)), 0.25),
    Origin("western", 0.13, (("en", 0.90, 0.70),), 0.60),
    Origin("arabic", 0.09, (("ar", 0.99, 0.75), ("en", 0.30, 0.40)), 0.50),
    Origin("eritrean", 0.035, (("ti", 0.99, 0.70), ("en", 0.20, 0.40)), 0.45),
    Origin("somali", 0.035, (("so", 0.99, 0.70), ("en", 0.20, 0.40)), 0.50),
    Origin("persian", 0.02, (("fa", 0.70, 0.50), ("prs", 0.40, 0.25), ("en", 0.30, 0.40)), 0.50),
)
ORIGIN_BY_KEY = {origin.key: origin for origin in ORIGINS}

# Faker locales for origins whose names it knows in the Latin script.
_FAKER_LOCALE = {"turkish": "tr_TR", "german": "de_DE", "polish": "pl_PL", "western": "en_GB", "romanian": "ro_RO"}
_HAND_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "moroccan": (MOROCCAN_MALE, MOROCCAN_FEMALE, MOROCCAN_SURNAMES),
    "arabic": (ARABIC_MALE, ARABIC_FEMALE, ARABIC_SURNAMES),
    "eritrean": (ERITREAN_MALE, ERITREAN_FEMALE, ERITREAN_SURNAMES),
    "somali": (SOMALI_MALE, SOMALI_FEMALE, SOMALI_SURNAMES),
    "surinamese": (SURINAMESE_MALE, SURINAMESE_FEMALE, SURINAMESE_SURNAMES),
    "antillean": (ANTILLEAN_MALE, ANTILLEAN_FEMALE, ANTILLEAN_SURNAMES),
    "ukrainian": (UKRAINIAN_MALE, UKRAINIAN_FEMALE, UKRAINIAN_SURNAMES),
    "persian": (PERSIAN_MALE, PERSIAN_FEMALE, PERSIAN_SURNAMES),
}
POOL_SIZE = 600


def split_surname(full: str) -> tuple[str, str]:
    """Split "van der Berg" into ("van der", "Berg"); a name without a particle keeps prefix ""."""
    lowered = full.lower()
    for particle in TUSSENVOEGSELS:
        if lowered.startswith(particle + " ") and len(full) > len(particle) + 1:
            # Stored in lower case: "Van" is only capitalised when no first name precedes it.
            return particle, full[len(particle) + 1 :]
    return "", full


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits only, for user names and e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in folded.lower() if char.isalnum())


@dataclass(frozen=True, slots=True)
class NamePool:
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[tuple[str, str], ...]  # (tussenvoegsel, surname)


class NamePools:
    """Per-origin pools of first names and surnames, drawn once for a seed."""

    def __init__(self, seed: int) -> None:
        self._dutch_young = _faker_pool("nl_NL", seed)
        self._pools: dict[str, NamePool] = {key: _faker_pool(locale, seed) for key, locale in _FAKER_LOCALE.items()}
        turkish = self._pools["turkish"]
        self._pools["turkish"] = NamePool(TURKISH_MALE, TURKISH_FEMALE, turkish.surnames)
        for key, (male, female, surnames) in _HAND_NAMES.items():
            self._pools[key] = NamePool(male, female, tuple(("", name) for name in surnames))
        self._older = NamePool(OLDER_DUTCH_MALE, OLDER_DUTCH_FEMALE, self._dutch_young.surnames)
        self._middle = NamePool(MIDDLE_DUTCH_MALE, MIDDLE_DUTCH_FEMALE, self._dutch_young.surnames)
        self._indo_surnames = tuple(("", name) for name in INDO_SURNAMES)

    def dutch_first_name(self, rng: random.Random, female: bool, birth_year: int) -> str:
        """A Dutch first name fitting the year of birth."""
        pool = self._older if birth_year < 1955 else self._middle if birth_year < 1985 else self._dutch_young
        return rng.choice(pool.female if female else pool.male)

    def first_name(self, rng: random.Random, origin: str | None, female: bool, birth_year: int) -> str:
        """A first name for someone of the given origin (None: no migration background)."""
        pool = self._pools.get(origin or "")
        # Children of the Surinamese, Antillean and Indo communities often carry Dutch names.
        if pool is None or (origin in {"surinamese", "antillean"} and rng.random() < 0.4):
            return self.dutch_first_name(rng, female, birth_year)
        return rng.choice(pool.female if female else pool.male)

    def surname(self, rng: random.Random, origin: str | None) -> tuple[str, str]:
        """A (tussenvoegsel, surname) pair for the origin."""
        if origin == "indonesian" and rng.random() < 0.3:
            return rng.choice(self._indo_surnames)
        if origin in {"surinamese", "antillean"} and rng.random() < 0.35:
            return rng.choice(self._dutch_young.surnames)
        pool = self._pools.get(origin or "", self._dutch_young)
        return rng.choice(pool.surnames)


def _faker_pool(locale: str, seed: int) -> NamePool:
    return _faker_pool_cached(locale, seed)


@cache
def _faker_pool_cached(locale: str, seed: int) -> NamePool:
    # Cached: a test suite builds several cities with the same seed.
    fake = Faker(locale)
    fake.seed_instance(seed)
    male = tuple(fake.first_name_male() for _ in range(POOL_SIZE))
    female = tuple(fake.first_name_female() for _ in range(POOL_SIZE))
    # Only Dutch names have tussenvoegsels; "Le Roux" or "Van Buren" abroad is one surname.
    split = split_surname if locale == "nl_NL" else (lambda name: ("", name))
    surnames = tuple(split(fake.last_name()) for _ in range(POOL_SIZE * 2))
    return NamePool(male, female, surnames)


# Street names: each neighbourhood takes a theme, as Dutch post-war neighbourhoods do.
STREET_THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Bloemenbuurt",
        (
            "Tulp",
            "Rozen",
            "Narcis",
            "Krokus",
            "Anjer",
            "Lelie",
            "Iris",
            "Dahlia",
            "Violier",
            "Hyacint",
            "Klaproos",
            "Margriet",
            "Akelei",
            "Lavendel",
            "Goudsbloem",
            "Sering",
        ),
    ),
    (
        "Bomenbuurt",
        (
            "Eiken",
            "Beuken",
            "Linden",
            "Esdoorn",
            "Berken",
            "Wilgen",
            "Populieren",
            "Kastanje",
            "Elzen",
            "Iepen",
            "Essen",
            "Platanen",
            "Lariks",
            "Dennen",
            "Hazelaar",
            "Vlier",
        ),
    ),
    (
        "Vogelbuurt",
        (
            "Merel",
            "Lijster",
            "Mezen",
            "Vinken",
            "Spreeuw",
            "Zwaluw",
            "Kievit",
            "Reiger",
            "Meeuwen",
            "Uilen",
            "Specht",
            "Roodborst",
            "Leeuwerik",
            "Wielewaal",
            "Grutto",
            "Ooievaar",
        ),
    ),
    (
        "Rivierenbuurt",
        (
            "Maas",
            "Waal",
            "Rijn",
            "IJssel",
            "Lek",
            "Vecht",
            "Amstel",
            "Dommel",
            "Dinkel",
            "Berkel",
            "Regge",
            "Linge",
            "Eem",
            "Zaan",
            "Gouwe",
            "Rotte",
        ),
    ),
    (
        "Schildersbuurt",
        (
            "Rembrandt",
            "Vermeer",
            "Frans Hals",
            "Jan Steen",
            "Mondriaan",
            "Breitner",
            "Mesdag",
            "Ruysdael",
            "Hobbema",
            "Van Gogh",
            "Israëls",
            "Jongkind",
            "Mauve",
            "Toorop",
            "Maris",
            "Weissenbruch",
        ),
    ),
    (
        "Componistenbuurt",
        (
            "Mozart",
            "Bach",
            "Haydn",
            "Beethoven",
            "Chopin",
            "Schubert",
            "Händel",
            "Brahms",
            "Vivaldi",
            "Sweelinck",
            "Verdi",
            "Grieg",
            "Ravel",
            "Debussy",
            "Mahler",
            "Purcell",
        ),
    ),
    (
        "Sterrenbuurt",
        (
            "Orion",
            "Pegasus",
            "Andromeda",
            "Saturnus",
            "Jupiter",
            "Mercurius",
            "Venus",
            "Mars",
            "Neptunus",
            "Uranus",
            "Poolster",
            "Sirius",
            "Vega",
            "Castor",
            "Komeet",
            "Melkweg",
        ),
    ),
    (
        "Eilandenbuurt",
        (
            "Texel",
            "Vlieland",
            "Terschelling",
            "Ameland",
            "Schiermonnikoog",
            "Marken",
            "Urk",
            "Schokland",
            "Tholen",
            "Goeree",
            "Voorne",
            "Walcheren",
            "Pampus",
            "Rottum",
            "Griend",
            "Wieringen",
        ),
    ),
    (
        "Ambachtenbuurt",
        (
            "Bakker",
            "Smids",
            "Molenaar",
            "Kuiper",
            "Timmerman",
            "Wever",
            "Visser",
            "Schipper",
            "Metselaar",
            "Verver",
            "Touwslager",
            "Zadelmaker",
            "Pottenbakker",
            "Kaarsenmaker",
            "Leerlooier",
            "Klompenmaker",
        ),
    ),
    (
        "Fruitbuurt",
        (
            "Appel",
            "Peren",
            "Kersen",
            "Pruimen",
            "Bramen",
            "Bessen",
            "Druiven",
            "Perziken",
            "Abrikozen",
            "Frambozen",
            "Aardbeien",
            "Kweepeer",
            "Mispel",
            "Walnoot",
            "Hazelnoot",
            "Moerbei",
        ),
    ),
    (
        "Edelstenenbuurt",
        (
            "Robijn",
            "Saffier",
            "Smaragd",
            "Diamant",
            "Parel",
            "Topaas",
            "Granaat",
            "Opaal",
            "Amethist",
            "Jade",
            "Barnsteen",
            "Kristal",
            "Agaat",
            "Onyx",
            "Jaspis",
            "Turkoois",
        ),
    ),
    (
        "Kruidenbuurt",
        (
            "Tijm",
            "Salie",
            "Munt",
            "Dille",
            "Kervel",
            "Peterselie",
            "Bieslook",
            "Rozemarijn",
            "Basilicum",
            "Koriander",
            "Venkel",
            "Marjolein",
            "Dragon",
            "Lavas",
            "Anijs",
            "Karwij",
        ),
    ),
    (
        "Waterbuurt",
        (
            "Sluis",
            "Gemaal",
            "Dijk",
            "Wetering",
            "Vaart",
            "Sloot",
            "Kreek",
            "Haven",
            "Steiger",
            "Veer",
            "Dam",
            "Brug",
            "Boezem",
            "Kolk",
            "Duiker",
            "Stuw",
        ),
    ),
    (
        "Vlinderbuurt",
        (
            "Atalanta",
            "Dagpauwoog",
            "Citroenvlinder",
            "Koolwitje",
            "Zandoogje",
            "Vuurvlinder",
            "Parelmoervlinder",
            "Distelvlinder",
            "Boomblauwtje",
            "Oranjetipje",
            "Koninginnenpage",
            "Gentiaanblauwtje",
            "Kleine Vos",
            "Heivlinder",
            "Dambordje",
            "Hooibeestje",
        ),
    ),
)
STREET_SUFFIXES = ("straat", "laan", "weg", "hof", "pad", "dreef", "singel", "kade", "erf", "gaarde")
# When a theme's plain names run out (very large cities), Dutch towns reuse them with these.
STREET_MODIFIERS = ("", "Korte ", "Lange ", "Oude ", "Nieuwe ", "Kleine ", "Grote ", "Hoge ", "Lage ")

DISTRICT_PREFIXES = (
    "Ooster",
    "Wester",
    "Noorder",
    "Zuider",
    "Linde",
    "Berken",
    "Eiken",
    "Molen",
    "Veer",
    "Dijk",
    "Haven",
    "Kerk",
    "Beek",
    "Brug",
    "Wilgen",
    "Elzen",
    "Vlier",
    "Riet",
    "Zand",
    "Heide",
    "Bos",
    "Water",
    "Polder",
    "Hoog",
    "Laag",
    "Oud",
    "Nieuw",
    "Kraai",
    "Vossen",
    "Hazen",
)
DISTRICT_SUFFIXES = (
    "wijk",
    "veld",
    "hof",
    "kwartier",
    "dorp",
    "park",
    "waard",
    "hoek",
    "kamp",
    "haven",
    "hout",
    "meer",
    "oord",
    "burg",
    "broek",
    "zicht",
)
COMPASS = ("Noord", "Zuid", "Oost", "West", "Midden", "Centrum")


def district_names(rng: random.Random, count: int) -> list[str]:
    """``count`` different district names such as "Molenwijk" or "Beekhoven"."""
    combos = [prefix + suffix for prefix in DISTRICT_PREFIXES for suffix in DISTRICT_SUFFIXES]
    rng.shuffle(combos)
    if count > len(combos):
        raise ValueError(f"at most {len(combos)} districts")
    return [name[0].upper() + name[1:] for name in combos[:count]]


class StreetNamer:
    """Hands out street names unique in the city, each from a given theme."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()
        self._queues: dict[tuple[int, str], list[str]] = {}

    def name(self, theme: int, suffix: str | None = None) -> str:
        """A new street name of the theme, with the given suffix or any street suffix."""
        key = (theme, suffix or "")
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = self._candidates(theme, suffix)
        while queue:
            candidate = queue.pop()
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate
        # Every combination is taken (only in cities of millions): number the names.
        base = self.name((theme + 1) % len(STREET_THEMES), suffix)
        return f"{base} {len(self._used)}"

    def _candidates(self, theme: int, suffix: str | None) -> list[str]:
        words = STREET_THEMES[theme][1]
        suffixes = (suffix,) if suffix else STREET_SUFFIXES
        levels: list[str] = []
        for modifier in reversed(STREET_MODIFIERS):  # popped from the end: plain names first
            level = [modifier + word + end for word in words for end in suffixes]
            self._rng.shuffle(level)
            levels.extend(level)
        return levels


COMMUNITY_CENTRE_NAMES = (
    "De Kastanje",
    "Het Anker",
    "De Brug",
    "De Ontmoeting",
    "Het Trefpunt",
    "De Wissel",
    "De Schakel",
    "Het Buurtnest",
    "De Boog",
    "Het Middelpunt",
    "De Linde",
    "De Horizon",
    "De Vonk",
    "De Paraplu",
    "Het Klokhuis",
    "De Vuurtoren",
    "Het Baken",
    "De Sleutel",
    "De Kiem",
    "Het Kruispunt",
)
SCHOOL_NAMES = (
    "De Regenboog",
    "De Vlinder",
    "Het Kompas",
    "De Zonnewijzer",
    "De Wereldboom",
    "Het Palet",
    "De Fontein",
    "De Springplank",
    "Het Avontuur",
    "De Sterrenkijker",
    "De Tweemaster",
    "De Kameleon",
    "De Ontdekking",
    "Het Mozaïek",
    "De Klimop",
    "De Windroos",
)
SCHOOL_KINDS = ("Basisschool", "OBS", "CBS", "IKC", "Montessorischool")
CHURCH_NAMES = (
    "Sint-Jozefkerk",
    "Sint-Martinuskerk",
    "Heilig Hartkerk",
    "Sint-Antoniuskerk",
    "De Ark",
    "De Rank",
    "Opstandingskerk",
    "Pauluskerk",
    "Evangeliegemeente De Rots",
    "Pinkstergemeente Bethel",
)
MOSQUE_NAMES = (
    "Ulu Moskee",
    "Moskee Ar-Rahma",
    "Moskee Al-Houda",
    "Mevlana Moskee",
    "Moskee Al-Ikhlas",
    "Selimiye Moskee",
)
TEMPLE_NAMES = ("Mandir Shri Ram", "Hindoestaanse tempel Shanti Dhaam")
