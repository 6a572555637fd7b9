"""Load a rules folder (TOML) into typed, frozen objects, validating everything at once.

>>> from game.engine import load_rules
>>> rules = load_rules("rules")
>>> rules.capability("own_payment").pillar
'payment'

Every problem is collected with its file, key and reason, and raised together as a
:class:`RulesError`, so a rule author fixes a broken folder in one pass.
"""

from __future__ import annotations

import math
import re
import string
import tomllib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from .errors import Problem, RulesError
from .files import read_regular_file

if TYPE_CHECKING:
    from .graph import CapabilityGraph

LANGS = ("zh", "en")
# Patterns are used with fullmatch: "$" would let a trailing newline through.
FACT_TAG = re.compile(r"F[0-9][0-9]")
# Ids end up in save files, action strings ("build:own_payment"), file names and messages:
# no spaces, quotes, ':' or control characters.
ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,39}")
PLACEHOLDER = re.compile(r"[a-z_][a-z0-9_]*")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")

# Bounds. Past them a value is a typo or a hostile file, and it would blow up a loop or an
# allocation (a game allocates chance draws per round and plays every action of every round).
MAX_FILE_BYTES = 1_000_000       # one rules file
MAX_NESTING = 16                 # tables and arrays inside each other (the real rules use 5)
MAX_EXTENDS = 16                 # scenarios extending scenarios
MAX_NUMBER = 1e12                # any number: money in bn yuan, users in millions, multipliers
MAX_EFFECT_MULT = 10.0           # an event's multiplier (they stack while events last)
MAX_MARKET_GROWTH = 1.0          # per round: compounds over every round of a game
MAX_INTEGER = 1_000_000          # any whole number without a tighter bound (orders)
MAX_ROUNDS = 200                 # rounds of a scenario, and rounds an event lasts
MAX_ACTIONS_PER_ROUND = 50       # actions a company takes in a round, and per_round limits
YEARS = (1900, 2100)             # a scenario's start year
MAX_WORK = 20                    # build steps of one capability; progress and talent steps
MAX_TALENT = 20                  # talent points a company can hold
MAX_CAPABILITIES = 60            # capabilities are bits of an integer mask
MAX_PILLARS = 16
MAX_ACTIONS = 40
MAX_POWERS = 40
MAX_COMPANIES = 8                # in companies.toml, and so in any scenario
MAX_EVENTS = 200
MAX_EFFECTS = 20                 # effects of one event
MAX_EVENTS_PER_ROUND = 10        # events scheduled for the same round
MAX_SCENARIOS = 50

LASTING_EFFECTS = ("market", "traffic", "demand", "ux_cost")
IMMEDIATE_EFFECTS = ("ux", "capital", "users", "progress")
EFFECT_TYPES = LASTING_EFFECTS + IMMEDIATE_EFFECTS

# A parsed TOML table, before validation.
Table = dict[str, Any]
# Reads and checks a table's fact tags (its ``source``): (table, file, key) -> tags.
Sources = Callable[[Table, str, str], tuple[str, ...]]


class _Named(Protocol):
    @property
    def name(self) -> Text: ...


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Pillar:
    id: str
    order: int
    color: str
    name: Text
    text: Text
    source: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Capability:
    id: str
    index: int
    pillar: str
    requires: tuple[str, ...]
    requires_any: tuple[str, ...]
    cost: float
    work: int
    conversion: float
    traffic_bonus: float
    ux_relief: float
    name: Text
    text: Text
    source: tuple[str, ...]
    # the board's label where the full name does not fit (a projector, a small screen); the
    # name itself when the rules give none
    short: Text


@dataclass(frozen=True, slots=True)
class Power:
    id: str
    traffic_mult: float
    ad_mult: float
    ux_cost_mult: float
    user_loss_mult: float
    conversion: float
    action_demand_mult: Mapping[str, float]
    action_cost_mult: Mapping[str, float]
    capability_conversion: Mapping[str, float]
    name: Text
    text: Text
    source: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Company:
    id: str
    color: str
    mark: str
    users: float
    capital: float
    ux: float
    growth: float
    traffic_factor: float
    app_share: float
    app_launched: bool
    built: tuple[str, ...]
    powers: tuple[str, ...]
    cost_mult: Mapping[str, float]
    goal_gmv: float        # a quarter at this GMV (bn yuan) scores one goal point
    merchants: float       # merchants active on the platform at the start, 0..100
    shelf_rate: float      # demand per million app users a quarter, unprompted (shopping habit)
    name: Text
    app: Text
    text: Text
    source: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActionSpec:
    id: str
    index: int
    kind: str
    traffic: float
    traffic_share: float
    capital: float
    ux: float
    ux_in_app: float             # commerce: share of the ux cost still paid in the app (F33: live rooms)
    demand_mult: float
    capital_per_traffic: float
    traffic_gain: float
    app_share: float
    fee_mult: float              # waybill_terms: times the standard waybill fee
    data_share: float | None     # waybill_terms: share of rivals' buyer data kept (None: the economy's)
    demand_loss: float           # waybill_terms: share of their sales rivals without own waybills lose
    content_gain: float          # content: extra traffic share per step
    requires: tuple[str, ...]
    requires_loop: bool
    per_round: int
    key: str
    name: Text
    text: Text
    source: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Effect:
    type: str
    who: str
    mult: float
    delta: float
    action: str | None
    capability: str | None


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    rounds: int
    effects: tuple[Effect, ...]
    name: Text
    text: Text
    source: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OutsideLink:
    host: str
    partner: str
    share: float
    fee_rate: float
    points_share: float = 0.0   # share of the GMV sent through the links that counts for the host's goal points


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    order: int
    start_year: int
    start_quarter: int
    rounds: int
    actions_per_round: int
    companies: tuple[str, ...]
    loop: tuple[str, ...]
    market: float
    market_growth: float
    others_weight: float
    waybill_provider: str | None
    traffic_seller: str | None      # whose ads bought traffic pays for (F30): it gets traffic_seller_share
    traffic_seller_share: float     # share of the price of bought traffic that goes to the seller
    traffic_auction_step: float     # bought traffic costs this much more per unit anyone bought this round
    disabled_actions: frozenset[str]
    locked_capabilities: Mapping[str, frozenset[str]]
    target_quarter_gmv: float | None
    requires_app: bool
    victory_points: bool            # the winner has the most goal points (else the most GMV)
    quarter_points_cap: float       # goal points one quarter can score at most (no festival burst)
    quarter_points_power: float     # a quarter scores (GMV / goal) ** this: below 1, diminishing returns
    loop_points: float              # once, for a loop closed during the game
    app_points: float               # once, for an app launched during the game
    ux_end_points: float            # at the end, points for user experience: this x UX / ux_max
    regulator_event: str | None     # drawn when the leader's lead in points reaches regulator_lead
    regulator_lead: float
    merchant_floor: float           # share of conversion left with no merchants at all
    merchant_gain: float            # merchants won in a quarter with selling
    merchant_decay: float           # merchants lost in a quarter without selling
    shelf_ux_floor: float           # share of shelf demand left at user experience 0 (the rest in proportion)
    outside_links: tuple[OutsideLink, ...]
    deck_draw_chance: float
    deck: tuple[tuple[str, float], ...]
    scheduled: Mapping[int, tuple[str, ...]]
    company_specs: Mapping[str, Company]
    name: Text
    text: Text
    source: tuple[str, ...]

    def quarter_label(self, round_number: int) -> tuple[int, int]:
        """(year, quarter) of a 1-based round number."""
        q = self.start_quarter - 1 + round_number - 1
        return self.start_year + q // 4, q % 4 + 1


@dataclass(frozen=True, slots=True)
class Economy:
    traffic_per_user: float
    base_conversion: float
    idle_traffic_ad_rate: float
    commerce_take_rate: float
    ux_recovery: float
    ux_max: float
    ux_neutral: float
    ux_sensitivity: float
    ux_growth_cap: float
    ux_relief_cap: float
    internet_users: float
    min_users: float
    data_per_gmv: float
    data_conversion_max: float
    data_half: float
    waybill_fee_rate: float
    waybill_data_share: float
    content_max: float        # most extra traffic share own content can add
    talent_progress: int
    max_talent: int
    waybill_capability: str
    data_capability: str
    talent_pillar: str


@dataclass(frozen=True)
class Rules:
    """A validated rules folder. Shared, never mutated: games keep per-company state beside it."""

    source_dir: str
    version: str
    title: Text
    subtitle: Text
    units: Mapping[str, Text]
    money_scale: Mapping[str, float]
    economy: Economy
    pillars: Mapping[str, Pillar]
    capabilities: tuple[Capability, ...]
    companies: Mapping[str, Company]
    powers: Mapping[str, Power]
    actions: tuple[ActionSpec, ...]
    events: Mapping[str, Event]
    scenarios: Mapping[str, Scenario]
    facts: Mapping[str, Text]
    reasons: Mapping[str, Text]
    log_texts: Mapping[str, Text]
    fingerprint: str
    _cap_index: Mapping[str, int] = field(repr=False, default_factory=dict)
    _action_index: Mapping[str, int] = field(repr=False, default_factory=dict)
    _memo: dict[Any, Any] = field(repr=False, compare=False, default_factory=dict)

    def memo(self, key: Any, make: Callable[[], Any]) -> Any:
        """What ``make()`` returns, built once per key for these rules (fixed tables of a game)."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = make()
            return value

    def capability(self, cap_id: str) -> Capability:
        return self.capabilities[self._cap_index[cap_id]]

    def capability_index(self, cap_id: str) -> int:
        return self._cap_index[cap_id]

    def action(self, action_id: str) -> ActionSpec:
        return self.actions[self._action_index[action_id]]

    def has_action(self, action_id: str) -> bool:
        return action_id in self._action_index

    def has_capability(self, cap_id: str) -> bool:
        return cap_id in self._cap_index

    def scenario(self, scenario_id: str) -> Scenario:
        try:
            return self.scenarios[scenario_id]
        except KeyError:
            known = ", ".join(self.scenarios)
            raise KeyError(f"unknown scenario '{scenario_id}' (known: {known})") from None

    @property
    def graph(self) -> CapabilityGraph:
        """The capability graph (built once per rules set and cached)."""
        from .graph import graph_for

        return graph_for(self)

    def name_of(self, kind: str, item_id: str, lang: str) -> str:
        """The display name of a capability, company, event, action, pillar or power."""
        if kind == "capability":
            return self.capability(item_id).name.get(lang)
        if kind == "action":
            return self.action(item_id).name.get(lang)
        tables: dict[str, Mapping[str, _Named]] = {
            "company": self.companies, "event": self.events, "pillar": self.pillars,
            "power": self.powers, "scenario": self.scenarios}
        return tables[kind][item_id].name.get(lang)


# --------------------------------------------------------------------------------------------
# Reading with problem collection


class _Reader:
    """Reads typed values out of parsed TOML, recording a Problem instead of raising."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, file: str, key: str, reason: str) -> None:
        # Keys and values come from the file: escape control characters before they reach a
        # terminal or a log.
        self.problems.append(Problem(_printable(file), _printable(key), _printable(reason)))

    def table(self, data: Any, file: str, key: str, required: bool = True) -> dict[str, Any]:
        value = data.get(key.rsplit(".", 1)[-1]) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.problem(file, key, "missing table")
            return {}
        if not isinstance(value, dict):
            self.problem(file, key, f"must be a table, not {type(value).__name__}")
            return {}
        return value

    def number(self, data: Table, file: str, key: str, name: str, default: float | None = None,
               minimum: float | None = 0.0, maximum: float | None = None) -> float:
        if name not in data:
            if default is None:
                self.problem(file, f"{key}.{name}", "missing number")
                return 0.0
            return float(default)
        value = self._checked_number(data[name], file, f"{key}.{name}", minimum, maximum)
        return float(default or 0.0) if value is None else value

    def _checked_number(self, value: Any, file: str, key: str, minimum: float | None,
                        maximum: float | None) -> float | None:
        """``value`` as a float (brought into range after a problem, so that checks which
        depend on it do not pile up), or None after recording why it cannot be one."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(file, key, f"must be a number, not {_show(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(file, key, f"must be a finite number, not {value}")
            return None
        # Every number is bounded, so sums and products of them stay finite in play.
        low = -MAX_NUMBER if minimum is None else minimum
        high = MAX_NUMBER if maximum is None else maximum
        if value < low:
            what = "negative" if low == 0 else f"below {low:g}"
            self.problem(file, key, f"must not be {what} (got {_short(value)})")
            return float(low)
        if value > high:
            self.problem(file, key, f"must be at most {high:g} (got {_short(value)})")
            return float(high)
        return float(value)

    def integer(self, data: Table, file: str, key: str, name: str, default: int | None = None,
                minimum: int = 0, maximum: int = MAX_INTEGER) -> int:
        if name not in data:
            if default is None:
                self.problem(file, f"{key}.{name}", "missing integer")
                return minimum
            return default
        value = data[name]
        fallback = default if default is not None else minimum
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(file, f"{key}.{name}", f"must be an integer, not {_show(value)}")
            return fallback
        # Out of range: brought into range, so that checks which depend on it do not pile up.
        if value < minimum:
            self.problem(file, f"{key}.{name}", f"must be at least {minimum} (got {_short(value)})")
            return minimum
        if value > maximum:
            self.problem(file, f"{key}.{name}", f"must be at most {maximum} (got {_short(value)})")
            return maximum
        return value

    def string(self, data: Table, file: str, key: str, name: str, default: str | None = None) -> str:
        value = data.get(name, default)
        if value is None:
            self.problem(file, f"{key}.{name}", "missing string")
            return ""
        if not isinstance(value, str):
            self.problem(file, f"{key}.{name}", f"must be a string, not {_show(value)}")
            return ""
        return value

    def boolean(self, data: Table, file: str, key: str, name: str, default: bool) -> bool:
        value = data.get(name, default)
        if not isinstance(value, bool):
            self.problem(file, f"{key}.{name}", f"must be true or false, not {_show(value)}")
            return default
        return value

    def strings(self, data: Table, file: str, key: str, name: str) -> tuple[str, ...]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(file, f"{key}.{name}", f"must be a list of strings, not {_show(value)}")
            return ()
        return tuple(value)

    def text(self, data: Table, file: str, key: str, name: str) -> Text:
        value = data.get(name)
        if not isinstance(value, dict):
            self.problem(file, f"{key}.{name}", "missing text: needs zh and en")
            return Text("?", "?")
        out = {}
        for lang in LANGS:
            s = value.get(lang)
            if not isinstance(s, str) or not s.strip():
                self.problem(file, f"{key}.{name}.{lang}", "missing translation")
                s = "?"
            bad = CONTROL.search(s)
            if bad:
                self.problem(file, f"{key}.{name}.{lang}",
                             f"contains a control character (U+{ord(bad.group()):04X})")
            out[lang] = s
        return Text(**out)

    def mapping(self, data: Table, file: str, key: str, name: str) -> dict[str, float]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            self.problem(file, f"{key}.{name}", "must be a table of numbers")
            return {}
        out = {}
        for k, v in value.items():
            n = self._checked_number(v, file, f"{key}.{name}.{k}", 0.0, None)
            if n is not None:
                out[k] = n
        return out

    def unknown_keys(self, data: Table, file: str, key: str, allowed: set[str]) -> None:
        for k in data:
            if k not in allowed:
                self.problem(file, f"{key}.{k}", f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def check_id(self, file: str, key: str, value: str, what: str = "id") -> bool:
        """Whether ``value`` is a safe id; records a problem if not."""
        if ID.fullmatch(value):
            return True
        self.problem(file, key, f"{what} {_show(value)} must be 1 to 40 lowercase letters, digits or _, "
                                f"starting with a letter")
        return False

    def check_color(self, file: str, key: str, color: str) -> None:
        if not COLOR.fullmatch(color):
            self.problem(file, key, f"{_show(color)} is not a colour like \"#4C78A8\"")

    def at_most(self, file: str, key: str, items: Any, limit: int, what: str) -> None:
        if len(items) > limit:
            self.problem(file, key, f"at most {limit} {what} are supported (got {len(items)})")


def _given(data: Table, name: str) -> bool:
    """Whether ``name`` is a string in ``data``: an empty one too, which is no valid id (when
    it is missing or not a string, reading it has reported that already)."""
    return isinstance(data.get(name), str)


def _printable(s: str) -> str:
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), s)


def _show(value: Any) -> str:
    """A value from the file for a message, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:56]} ..."


def _short(value: int | float) -> str:
    """A number for a message: a 4000-digit integer is not worth printing in full."""
    text = str(value)
    return text if len(text) <= 30 else f"{text[:12]}...({len(text)} digits)"


def _parse(root: Path, name: str, reader: _Reader) -> tuple[dict[str, Any], bytes]:
    """Parse ``root/name``: the data and the file's bytes, or ({}, b"") after a problem."""
    path = root / name
    try:
        blob = read_regular_file(path, MAX_FILE_BYTES, within=root)
    except FileNotFoundError:
        why = "is a link to a missing file" if path.is_symlink() else "file is missing"
        reader.problem(name, "(file)", why)
        return {}, b""
    except OSError as exc:  # FileReadError too: a folder, FIFO, device, link out, too large
        reader.problem(name, "(file)", f"cannot be read: {exc.strerror or exc}")
        return {}, b""
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        reader.problem(name, "(file)", f"not UTF-8 text (byte 0x{blob[exc.start]:02x} at offset "
                                       f"{exc.start}); save it as UTF-8")
        return {}, blob
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))  # a BOM from Windows editors
    except tomllib.TOMLDecodeError as exc:
        reader.problem(name, "(file)", f"not valid TOML: {exc}")
        return {}, blob
    except RecursionError:  # tomllib recurses on nested arrays and inline tables
        reader.problem(name, "(file)", f"values are nested more than {MAX_NESTING} levels deep")
        return {}, blob
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        reader.problem(name, "(file)", f"not valid TOML: {exc}")
        return {}, blob
    if _too_deep(data):
        # Dotted keys nest without recursion in tomllib, but merging and hashing recurse.
        reader.problem(name, "(file)", f"values are nested more than {MAX_NESTING} levels deep")
        return {}, blob
    return data, blob


def _too_deep(data: Any) -> bool:
    """Whether tables and arrays nest more than MAX_NESTING levels (iteratively: no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        for v in value.values() if isinstance(value, dict) else value:
            if isinstance(v, (dict, list)):
                stack.append((v, depth + 1))
    return False


def _deep_merge(base: Table, over: Table) -> Table:
    # Recursion is bounded: _parse refuses data nested more than MAX_NESTING levels.
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


# --------------------------------------------------------------------------------------------
# The loader


def load_rules(directory: str | Path = "rules") -> Rules:
    """Load and validate a rules folder; raise :class:`RulesError` listing every problem."""
    root = Path(directory)
    r = _Reader()
    if not root.is_dir():
        why = "is a file, not a folder" if root.exists() else "no such folder"
        raise RulesError([Problem(_printable(str(root)), "(folder)", f"not a rules folder: {why}")])

    parsed = {name: _parse(root, f"{name}.toml", r) for name in (
        "game", "pillars", "capabilities", "companies", "actions", "events", "facts", "texts")}
    raw = {name: data for name, (data, _) in parsed.items()}
    scenario_files = _read_scenarios(root, r)

    facts = _load_facts(raw["facts"], r)
    known_tags = set(facts)

    def sources(data: Table, file: str, key: str) -> tuple[str, ...]:
        tags = r.strings(data, file, key, "source")
        for tag in tags:
            if not FACT_TAG.fullmatch(tag):
                r.problem(file, f"{key}.source", f"'{tag}' is not a fact tag like F07")
            elif known_tags and tag not in known_tags:
                r.problem(file, f"{key}.source", f"fact '{tag}' is not in facts.toml")
        return tags

    game = raw["game"]
    meta = r.table(game, "game.toml", "meta")
    version = r.string(meta, "game.toml", "meta", "rules_version", "0")
    if not VERSION.fullmatch(version):
        r.problem("game.toml", "meta.rules_version",
                  f"{_show(version)} must look like 1.0.0 (letters, digits, '.', '_', '+', '-'; at most 40)")
    title = r.text(meta, "game.toml", "meta", "title")
    subtitle = r.text(meta, "game.toml", "meta", "subtitle")
    units_t = r.table(game, "game.toml", "units")
    units = {k: r.text(units_t, "game.toml", "units", k) for k in ("money", "traffic", "users")}
    scale_t = r.table(units_t, "game.toml", "units.money_scale", required=False)
    money_scale = {lang: r.number(scale_t, "game.toml", "units.money_scale", lang, 1.0, minimum=0.001)
                   for lang in LANGS}
    economy = _load_economy(r.table(game, "game.toml", "economy"), r)

    pillars = _load_pillars(raw["pillars"], r, sources)
    capabilities = _load_capabilities(raw["capabilities"], r, sources, pillars)
    cap_ids = {c.id for c in capabilities}
    for name in ("waybill_capability", "data_capability"):
        cap = getattr(economy, name)
        if cap and cap not in cap_ids:
            r.problem("game.toml", f"economy.{name}", f"unknown capability '{cap}'")
    if economy.talent_pillar and economy.talent_pillar not in pillars:
        r.problem("game.toml", "economy.talent_pillar", f"unknown pillar '{economy.talent_pillar}'")

    actions = _load_actions(raw["actions"], r, sources, cap_ids)
    action_ids = {a.id for a in actions}
    powers = _load_powers(raw["companies"], r, sources, cap_ids, action_ids)
    companies = _load_companies(raw["companies"], r, sources, cap_ids, pillars, powers)
    events = _load_events(raw["events"], r, sources, cap_ids, action_ids, set(companies))
    from .text import LOG_FIELDS, REASON_FIELDS

    reasons = _load_texts(raw["texts"], "reasons", REASON_FIELDS, r)
    log_texts = _load_texts(raw["texts"], "log", LOG_FIELDS, r)
    scenarios = _load_scenarios(scenario_files, r, sources, companies, pillars, capabilities, actions,
                                events, powers)

    cap_index = {c.id: c.index for c in capabilities}
    rules = Rules(
        source_dir=str(root), version=version, title=title, subtitle=subtitle,
        units=MappingProxyType(units), money_scale=MappingProxyType(money_scale), economy=economy,
        pillars=MappingProxyType(pillars), capabilities=tuple(capabilities),
        companies=MappingProxyType(companies), powers=MappingProxyType(powers),
        actions=tuple(actions), events=MappingProxyType(events),
        scenarios=MappingProxyType(scenarios), facts=MappingProxyType(facts),
        reasons=MappingProxyType(reasons), log_texts=MappingProxyType(log_texts),
        fingerprint=_fingerprint(raw, {f"{sid}.toml": blob for sid, (_, blob) in scenario_files.items()}),
        _cap_index=MappingProxyType(cap_index),
        _action_index=MappingProxyType({a.id: a.index for a in actions}),
    )
    for where, spec in [("companies.toml", c) for c in companies.values()] + [
            (f"scenarios/{s.id}.toml", c) for s in scenarios.values() for c in s.company_specs.values()
            if c is not companies.get(c.id)]:
        if spec.ux > economy.ux_max:
            r.problem(where, f"companies.{spec.id}.ux", f"above economy.ux_max ({economy.ux_max:g})")
        if spec.users > economy.internet_users:
            r.problem(where, f"companies.{spec.id}.users",
                      f"above economy.internet_users ({economy.internet_users:g})")
    if not r.problems:
        # Graph-level checks need a consistent folder: cycles, loop links, starting states.
        from .graph import check_graph

        r.problems.extend(check_graph(rules))
    if r.problems:
        # A problem of a parent scenario is met again from each child: report it once.
        raise RulesError(list(dict.fromkeys(r.problems)))
    return rules


def _read_scenarios(root: Path, r: _Reader) -> dict[str, tuple[dict[str, Any], bytes]]:
    """Every scenarios/*.toml, parsed, by id (the file name without .toml)."""
    folder = root / "scenarios"
    if folder.exists() and not folder.is_dir():
        r.problem("scenarios", "(folder)", "must be a folder of scenario files, not a file")
        return {}
    # Hidden files are editors' (Emacs' .#default.toml lock links), not scenarios.
    paths = sorted(p for p in folder.glob("*.toml") if not p.name.startswith(".")) \
        if folder.is_dir() else []
    if not paths:
        r.problem("scenarios/", "(folder)", "no scenario files")
        return {}
    if len(paths) > MAX_SCENARIOS:  # before reading any of them
        r.at_most("scenarios/", "(folder)", paths, MAX_SCENARIOS, "scenarios")
        return {}
    out = {}
    for p in paths:
        f = f"scenarios/{p.name}"
        if not r.check_id(f, "(file)", p.stem, "the scenario id (file name)"):
            continue
        out[p.stem] = _parse(root, f, r)
    return out


def _fingerprint(raw: Table, scenario_bytes: dict[str, bytes]) -> str:
    import hashlib
    import json

    scen = {name: blob.hex() for name, blob in sorted(scenario_bytes.items())}
    blob = json.dumps([raw, scen], sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _load_texts(texts: Table, section: str, fields: Mapping[str, frozenset[str]],
                r: _Reader) -> dict[str, Text]:
    """The [reasons] or [log] texts; their {placeholders} must be fields the engine fills."""
    f = "texts.toml"
    table = r.table(texts, f, section)
    if not isinstance(texts.get(section), dict):  # reported: no need to list every text
        return {}
    out = {}
    for key in table:
        k = f"{section}.{key}"
        r.check_id(f, k, key, "the text key")
        text = r.text(table, f, section, key)
        _check_placeholders(text, f, k, fields.get(key), r)
        out[key] = text
    for key in fields:
        if key not in out:
            r.problem(f, f"{section}.{key}", "missing text the game needs")
    return out


def _check_placeholders(text: Text, f: str, key: str, known: frozenset[str] | None,
                        r: _Reader) -> None:
    """zh and en use the same plain {name} placeholders, all of them fields the text gets."""
    used = {}
    for lang in LANGS:
        names, why = _placeholders(text.get(lang))
        if why:
            r.problem(f, f"{key}.{lang}", why)
            return
        used[lang] = names
        if known is not None and names - known:
            r.problem(f, f"{key}.{lang}", f"unknown placeholder {_braced(names - known)} "
                                          f"(this text gets {_braced(known) or 'no values'})")
    if used["zh"] != used["en"] and "?" not in (text.zh, text.en):  # "?": a missing translation
        r.problem(f, key, f"zh and en must use the same placeholders "
                          f"(zh: {_braced(used['zh']) or 'none'}; en: {_braced(used['en']) or 'none'})")


def _braced(names: Iterable[str]) -> str:
    return ", ".join(f"{{{n}}}" for n in sorted(names))


_FORMATTER = string.Formatter()


def _placeholders(template: str) -> tuple[set[str], str | None]:
    """The {names} in a text template, or why it is not a template str.format() can fill."""
    names: set[str] = set()
    try:
        for _, name, spec, conversion in _FORMATTER.parse(template):
            if name is None:
                continue
            if not PLACEHOLDER.fullmatch(name):  # {}, {0}, {a.b}, {a[0]}, {Name}
                return names, (f"placeholder {{{name}}} must be a plain lowercase name like "
                               f"{{company}}; write {{{{ and }}}} for a literal brace")
            if spec or conversion:
                return names, (f"placeholder {{{name}}} takes no '!' or ':' format: "
                               f"the values come formatted")
            names.add(name)
    except ValueError as exc:  # a lone { or }
        return names, f"not a valid text template ({exc}); write {{{{ and }}}} for a literal brace"
    return names, None


def _load_facts(data: Table, r: _Reader) -> dict[str, Text]:
    facts = {}
    table = r.table(data, "facts.toml", "facts")
    for tag in table:
        if not FACT_TAG.fullmatch(tag):
            r.problem("facts.toml", f"facts.{tag}", "fact tags look like F07")
        facts[tag] = r.text(table, "facts.toml", "facts", tag)
    return facts


def _load_economy(t: Table, r: _Reader) -> Economy:
    f, k = "game.toml", "economy"

    def num(name: str, minimum: float | None = 0.0, maximum: float | None = None) -> float:
        return r.number(t, f, k, name, minimum=minimum, maximum=maximum)

    return Economy(
        traffic_per_user=num("traffic_per_user"),
        base_conversion=num("base_conversion"),
        idle_traffic_ad_rate=num("idle_traffic_ad_rate"),
        commerce_take_rate=num("commerce_take_rate", maximum=1.0),
        ux_recovery=num("ux_recovery"),
        ux_max=num("ux_max", minimum=1.0),
        ux_neutral=num("ux_neutral"),
        ux_sensitivity=num("ux_sensitivity"),
        ux_growth_cap=num("ux_growth_cap"),
        ux_relief_cap=num("ux_relief_cap", maximum=1.0),
        internet_users=num("internet_users", minimum=1.0),
        min_users=num("min_users"),
        data_per_gmv=num("data_per_gmv"),
        data_conversion_max=num("data_conversion_max"),
        data_half=num("data_half", minimum=0.001),
        waybill_fee_rate=num("waybill_fee_rate", maximum=1.0),
        waybill_data_share=num("waybill_data_share", maximum=1.0),
        content_max=r.number(t, f, k, "content_max", 0.0, maximum=10.0),
        talent_progress=r.integer(t, f, k, "talent_progress", maximum=MAX_WORK),
        max_talent=r.integer(t, f, k, "max_talent", maximum=MAX_TALENT),
        waybill_capability=r.string(t, f, k, "waybill_capability", ""),
        data_capability=r.string(t, f, k, "data_capability", ""),
        talent_pillar=r.string(t, f, k, "talent_pillar", ""),
    )


def _load_pillars(data: Table, r: _Reader, sources: Sources) -> dict[str, Pillar]:
    out = {}
    table = r.table(data, "pillars.toml", "pillars")
    r.at_most("pillars.toml", "pillars", table, MAX_PILLARS, "pillars")
    for pid, t in table.items():
        key = f"pillars.{pid}"
        r.check_id("pillars.toml", key, pid, "the pillar id")
        if not isinstance(t, dict):
            r.problem("pillars.toml", key, "must be a table")
            continue
        r.unknown_keys(t, "pillars.toml", key, {"order", "color", "name", "text", "source"})
        color = r.string(t, "pillars.toml", key, "color", "#888888")
        r.check_color("pillars.toml", f"{key}.color", color)
        out[pid] = Pillar(pid, r.integer(t, "pillars.toml", key, "order"), color,
                          r.text(t, "pillars.toml", key, "name"), r.text(t, "pillars.toml", key, "text"),
                          sources(t, "pillars.toml", key))
    return out


def _load_capabilities(data: Table, r: _Reader, sources: Sources,
                       pillars: Mapping[str, Pillar]) -> list[Capability]:
    f = "capabilities.toml"
    table = r.table(data, f, "capabilities")
    out: list[Capability] = []
    allowed = {"pillar", "requires", "requires_any", "cost", "work", "conversion", "traffic_bonus",
               "ux_relief", "name", "short", "text", "source"}
    for cid, t in table.items():
        key = f"capabilities.{cid}"
        r.check_id(f, key, cid, "the capability id")
        if not isinstance(t, dict):
            r.problem(f, key, "must be a table")
            continue
        r.unknown_keys(t, f, key, allowed)
        pillar = r.string(t, f, key, "pillar")
        if _given(t, "pillar") and pillar not in pillars:
            r.problem(f, f"{key}.pillar", f"unknown pillar '{pillar}' (known: {', '.join(pillars)})")
        requires = r.strings(t, f, key, "requires")
        requires_any = r.strings(t, f, key, "requires_any")
        for name, reqs in (("requires", requires), ("requires_any", requires_any)):
            for req in reqs:
                if req not in table:
                    r.problem(f, f"{key}.{name}", f"unknown capability '{req}'")
                elif req == cid:
                    r.problem(f, f"{key}.{name}", "a capability cannot require itself")
        full = r.text(t, f, key, "name")
        short = r.text(t, f, key, "short") if "short" in t else full
        for lang in LANGS:
            if len(short.get(lang)) > len(full.get(lang)):
                r.problem(f, f"{key}.short.{lang}", f"the board's short label {_show(short.get(lang))} "
                                                    f"is longer than the name {_show(full.get(lang))}")
        out.append(Capability(
            id=cid, index=len(out), pillar=pillar, requires=requires, requires_any=requires_any,
            cost=r.number(t, f, key, "cost"), work=r.integer(t, f, key, "work", minimum=1, maximum=MAX_WORK),
            conversion=r.number(t, f, key, "conversion", 0.0),
            traffic_bonus=r.number(t, f, key, "traffic_bonus", 0.0),
            ux_relief=r.number(t, f, key, "ux_relief", 0.0, maximum=1.0),
            name=full, text=r.text(t, f, key, "text"),
            source=sources(t, f, key), short=short))
    r.at_most(f, "capabilities", out, MAX_CAPABILITIES, "capabilities")
    return out


def _load_actions(data: Table, r: _Reader, sources: Sources,
                  cap_ids: Collection[str]) -> list[ActionSpec]:
    from .kinds import KINDS  # here, not at the top: the kinds import the economy, which imports this module

    f = "actions.toml"
    out: list[ActionSpec] = []
    allowed = {"kind", "traffic", "traffic_share", "capital", "ux", "ux_in_app", "demand_mult", "capital_per_traffic",
               "traffic_gain", "app_share", "requires", "requires_loop", "per_round", "key",
               "fee_mult", "data_share", "demand_loss", "content_gain",
               "name", "text", "source"}
    kinds_seen = set()
    table = r.table(data, f, "actions")
    r.at_most(f, "actions", table, MAX_ACTIONS, "actions")
    for aid, t in table.items():
        key = f"actions.{aid}"
        r.check_id(f, key, aid, "the action id")
        if not isinstance(t, dict):
            r.problem(f, key, "must be a table")
            continue
        r.unknown_keys(t, f, key, allowed)
        kind = r.string(t, f, key, "kind")
        handler = KINDS.get(kind)
        if _given(t, "kind") and handler is None:
            r.problem(f, f"{key}.kind", f"unknown kind '{kind}' (known: {', '.join(KINDS)})")
        kinds_seen.add(kind)
        if handler is not None and handler.unused_fields is not None:
            fields, why = handler.unused_fields
            for own in fields:
                if own in t:
                    r.problem(f, f"{key}.{own}", f"not used by kind '{kind}': {why}")
        requires = r.strings(t, f, key, "requires")
        for req in requires:
            if req not in cap_ids:
                r.problem(f, f"{key}.requires", f"unknown capability '{req}'")
        requires_loop = r.boolean(t, f, key, "requires_loop", False)
        if handler is not None:
            for own, message in handler.validate(t):
                r.problem(f, f"{key}.{own}", message)
        out.append(ActionSpec(
            id=aid, index=len(out), kind=kind,
            traffic=r.number(t, f, key, "traffic", 0.0),
            traffic_share=r.number(t, f, key, "traffic_share", 0.0, maximum=1.0),
            capital=r.number(t, f, key, "capital", 0.0),
            ux=r.number(t, f, key, "ux", 0.0),
            ux_in_app=r.number(t, f, key, "ux_in_app", 0.0, maximum=1.0),
            demand_mult=r.number(t, f, key, "demand_mult", 1.0),
            capital_per_traffic=r.number(t, f, key, "capital_per_traffic", 0.0),
            traffic_gain=r.number(t, f, key, "traffic_gain", 0.0),
            app_share=r.number(t, f, key, "app_share", 0.0, maximum=1.0),
            fee_mult=r.number(t, f, key, "fee_mult", 1.0, maximum=100.0),
            data_share=r.number(t, f, key, "data_share", maximum=1.0) if "data_share" in t else None,
            demand_loss=r.number(t, f, key, "demand_loss", 0.0, maximum=1.0),
            content_gain=r.number(t, f, key, "content_gain", 0.0, maximum=1.0),
            requires=requires, requires_loop=requires_loop,
            per_round=r.integer(t, f, key, "per_round", 0, maximum=MAX_ACTIONS_PER_ROUND),
            key=r.string(t, f, key, "key", ""),
            name=r.text(t, f, key, "name"), text=r.text(t, f, key, "text"),
            source=sources(t, f, key)))
    for needed in ("build", "end_turn"):
        if data and needed not in kinds_seen:
            r.problem(f, "actions", f"needs an action of kind '{needed}'")
    return out


def _load_powers(data: Table, r: _Reader, sources: Sources, cap_ids: Collection[str],
                 action_ids: Collection[str]) -> dict[str, Power]:
    f = "companies.toml"
    out = {}
    allowed = {"traffic_mult", "ad_mult", "ux_cost_mult", "user_loss_mult", "conversion",
               "action_demand_mult", "action_cost_mult", "capability_conversion", "name", "text",
               "source"}
    table = r.table(data, f, "powers", required=False)
    r.at_most(f, "powers", table, MAX_POWERS, "powers")
    for pid, t in table.items():
        key = f"powers.{pid}"
        r.check_id(f, key, pid, "the power id")
        if not isinstance(t, dict):
            r.problem(f, key, "must be a table")
            continue
        r.unknown_keys(t, f, key, allowed)
        adm = r.mapping(t, f, key, "action_demand_mult")
        acm = r.mapping(t, f, key, "action_cost_mult")
        ccv = r.mapping(t, f, key, "capability_conversion")
        for name, m, known, what in (("action_demand_mult", adm, action_ids, "action"),
                                     ("action_cost_mult", acm, action_ids, "action"),
                                     ("capability_conversion", ccv, cap_ids, "capability")):
            for k in m:
                if k not in known:
                    r.problem(f, f"{key}.{name}.{k}", f"unknown {what} '{k}'")
        out[pid] = Power(
            id=pid, traffic_mult=r.number(t, f, key, "traffic_mult", 1.0),
            ad_mult=r.number(t, f, key, "ad_mult", 1.0),
            ux_cost_mult=r.number(t, f, key, "ux_cost_mult", 1.0),
            user_loss_mult=r.number(t, f, key, "user_loss_mult", 1.0),
            conversion=r.number(t, f, key, "conversion", 0.0),
            action_demand_mult=MappingProxyType(adm), action_cost_mult=MappingProxyType(acm),
            capability_conversion=MappingProxyType(ccv),
            name=r.text(t, f, key, "name"), text=r.text(t, f, key, "text"),
            source=sources(t, f, key))
    return out


_COMPANY_KEYS = {"color", "mark", "users", "capital", "ux", "growth", "traffic_factor",
                 "app_share", "app_launched", "built", "powers", "cost_mult", "name", "app",
                 "text", "source", "goal_gmv", "merchants", "shelf_rate"}


def _company(cid: str, t: Table, f: str, key: str, r: _Reader, sources: Sources,
             cap_ids: Collection[str], pillars: Mapping[str, Pillar],
             powers: Mapping[str, Power]) -> Company:
    r.unknown_keys(t, f, key, _COMPANY_KEYS)
    built = r.strings(t, f, key, "built")
    for b in built:
        if b not in cap_ids:
            r.problem(f, f"{key}.built", f"unknown capability '{b}'")
    pw = r.strings(t, f, key, "powers")
    for p in pw:
        if p not in powers:
            r.problem(f, f"{key}.powers", f"unknown power '{p}'")
    cost_mult = r.mapping(t, f, key, "cost_mult")
    for k in cost_mult:
        if k not in pillars and k not in cap_ids:
            r.problem(f, f"{key}.cost_mult.{k}", f"'{k}' is neither a pillar nor a capability")
    mark = r.string(t, f, key, "mark", "circle")
    if mark not in ("circle", "square", "triangle", "diamond"):
        r.problem(f, f"{key}.mark", f"unknown mark '{mark}' (circle, square, triangle, diamond)")
    color = r.string(t, f, key, "color", "#888888")
    r.check_color(f, f"{key}.color", color)
    return Company(
        id=cid, color=color, mark=mark,
        users=r.number(t, f, key, "users"), capital=r.number(t, f, key, "capital"),
        ux=r.number(t, f, key, "ux", maximum=100.0), growth=r.number(t, f, key, "growth", minimum=-1.0),
        traffic_factor=r.number(t, f, key, "traffic_factor", 1.0),
        app_share=r.number(t, f, key, "app_share", 0.0, maximum=1.0),
        app_launched=r.boolean(t, f, key, "app_launched", False),
        built=built, powers=pw, cost_mult=MappingProxyType(cost_mult),
        goal_gmv=r.number(t, f, key, "goal_gmv", 100.0, minimum=0.001),
        merchants=r.number(t, f, key, "merchants", 100.0, maximum=100.0),
        shelf_rate=r.number(t, f, key, "shelf_rate", 0.0),
        name=r.text(t, f, key, "name"), app=r.text(t, f, key, "app"), text=r.text(t, f, key, "text"),
        source=sources(t, f, key))


def _load_companies(data: Table, r: _Reader, sources: Sources, cap_ids: Collection[str],
                    pillars: Mapping[str, Pillar], powers: Mapping[str, Power]) -> dict[str, Company]:
    f = "companies.toml"
    out = {}
    table = r.table(data, f, "companies")
    r.at_most(f, "companies", table, MAX_COMPANIES, "companies")
    for cid, t in table.items():
        r.check_id(f, f"companies.{cid}", cid, "the company id")
        if not isinstance(t, dict):
            r.problem(f, f"companies.{cid}", "must be a table")
            continue
        out[cid] = _company(cid, t, f, f"companies.{cid}", r, sources, cap_ids, pillars, powers)
    return out


def _load_events(data: Table, r: _Reader, sources: Sources, cap_ids: Collection[str],
                 action_ids: Collection[str], company_ids: Collection[str]) -> dict[str, Event]:
    f = "events.toml"
    out = {}
    table = r.table(data, f, "events")
    r.at_most(f, "events", table, MAX_EVENTS, "events")
    for eid, t in table.items():
        key = f"events.{eid}"
        r.check_id(f, key, eid, "the event id")
        if not isinstance(t, dict):
            r.problem(f, key, "must be a table")
            continue
        r.unknown_keys(t, f, key, {"rounds", "effects", "name", "text", "source"})
        effects = []
        raw_effects = t.get("effects", [])
        if not isinstance(raw_effects, list) or not raw_effects:
            r.problem(f, f"{key}.effects", "needs a list of effects")
            raw_effects = []
        r.at_most(f, f"{key}.effects", raw_effects, MAX_EFFECTS, "effects")
        for j, e in enumerate(raw_effects):
            ek = f"{key}.effects[{j}]"
            if not isinstance(e, dict):
                r.problem(f, ek, "must be a table")
                continue
            r.unknown_keys(e, f, ek, {"type", "who", "mult", "delta", "action", "capability"})
            etype = r.string(e, f, ek, "type")
            if _given(e, "type") and etype not in EFFECT_TYPES:
                r.problem(f, f"{ek}.type", f"unknown effect type '{etype}' (known: {', '.join(EFFECT_TYPES)})")
            who = r.string(e, f, ek, "who", "all")
            _check_who(who, f, f"{ek}.who", r, cap_ids, company_ids)
            action = e.get("action")
            if action is not None and not isinstance(action, str):
                r.problem(f, f"{ek}.action", f"must be an action id, not {_show(action)}")
                action = None
            if action is not None and action not in action_ids:
                r.problem(f, f"{ek}.action", f"unknown action '{action}'")
            if action is not None and etype not in ("demand", "ux_cost"):
                r.problem(f, f"{ek}.action", f"only demand and ux_cost effects act on one action, not {etype}")
            if etype == "progress" and not isinstance(e.get("delta"), int):
                r.problem(f, f"{ek}.delta", "a progress delta is a whole number of build steps")
            cap = e.get("capability")
            if cap is not None and not isinstance(cap, str):
                r.problem(f, f"{ek}.capability", f"must be a capability id, not {_show(cap)}")
                cap = None
            if etype == "progress" and cap not in cap_ids:
                r.problem(f, f"{ek}.capability", f"unknown capability '{cap}'")
            if etype == "market" and who != "all":
                r.problem(f, f"{ek}.who", "a market effect acts on the whole market: leave who out or set it to 'all'")
            needs_mult = etype in LASTING_EFFECTS or etype == "users"
            # A progress delta is build steps; other deltas are only bounded by MAX_NUMBER.
            low, high = (-MAX_WORK, MAX_WORK) if etype == "progress" else (None, None)
            effects.append(Effect(
                type=etype, who=who,
                mult=r.number(e, f, ek, "mult", None if needs_mult else 1.0, maximum=MAX_EFFECT_MULT),
                delta=r.number(e, f, ek, "delta", None if etype in ("ux", "capital", "progress") else 0.0,
                               minimum=low, maximum=high),
                action=action, capability=cap))
        rounds = r.integer(t, f, key, "rounds", 1, minimum=1, maximum=MAX_ROUNDS)
        out[eid] = Event(eid, rounds, tuple(effects),
                         r.text(t, f, key, "name"), r.text(t, f, key, "text"), sources(t, f, key))
    return out


def _check_who(who: str, f: str, key: str, r: _Reader, cap_ids: Collection[str],
               company_ids: Collection[str]) -> None:
    if who in ("all", "leader", "laggard", "random") or who in company_ids:
        return
    if who.startswith(("has:", "lacks:")):
        cap = who.split(":", 1)[1]
        if cap not in cap_ids:
            r.problem(f, key, f"unknown capability '{cap}'")
        return
    r.problem(f, key, f"'{who}' is not all, leader, laggard, random, a company, has:<capability> or lacks:<capability>")


_SCENARIO_KEYS = {"order", "start_year", "start_quarter", "rounds", "actions_per_round", "companies",
                  "loop", "market", "market_growth", "others_weight", "waybill_provider",
                  "disabled_actions", "locked_capabilities", "name", "text", "source",
                  "merchant_floor", "merchant_gain", "merchant_decay", "shelf_ux_floor", "traffic_seller",
                  "traffic_seller_share", "traffic_auction_step"}


def _resolved(raw: dict[str, Table], sid: str, r: _Reader) -> Table | None:
    """Scenario ``sid`` merged over the scenarios it extends (walked in a loop: no recursion);
    None if the chain is too long to bother checking the rest."""
    chain = [sid]
    while True:
        f = f"scenarios/{chain[-1]}.toml"
        parent = raw[chain[-1]].get("extends")
        if parent is None:
            break
        if not isinstance(parent, str):
            r.problem(f, "extends", "must be the id of another scenario, like \"default\"")
            break
        if parent not in raw:
            r.problem(f, "extends", f"unknown scenario '{parent}'")
            break
        if parent in chain:
            r.problem(f, "extends", "scenarios extend each other in a circle")
            break
        if len(chain) > MAX_EXTENDS:
            r.problem(f"scenarios/{sid}.toml", "extends",
                      f"extends chain longer than {MAX_EXTENDS} ({' -> '.join(chain[:3])} -> ...)")
            return None
        chain.append(parent)
    data = raw[chain[-1]]
    for child in reversed(chain[:-1]):
        data = _deep_merge(data, {k: v for k, v in raw[child].items() if k != "extends"})
    return data


def _load_scenarios(files: dict[str, tuple[Table, bytes]], r: _Reader, sources: Sources,
                    companies: Mapping[str, Company], pillars: Mapping[str, Pillar],
                    capabilities: list[Capability], actions: list[ActionSpec],
                    events: Mapping[str, Event], powers: Mapping[str, Power]) -> dict[str, Scenario]:
    raw = {sid: data for sid, (data, _) in files.items()}
    cap_ids = {c.id for c in capabilities}
    action_ids = {a.id for a in actions}

    out = {}
    for sid in raw:
        f = f"scenarios/{sid}.toml"
        d = _resolved(raw, sid, r)
        if d is None:
            continue
        r.unknown_keys(d, f, "(top)", {"extends", "scenario", "victory", "outside_links", "deck",
                                       "scheduled", "company_overrides"})
        s = r.table(d, f, "scenario")
        r.unknown_keys(s, f, "scenario", _SCENARIO_KEYS)
        k = "scenario"
        comp_ids = r.strings(s, f, k, "companies")
        if not comp_ids:
            r.problem(f, f"{k}.companies", "needs at least one company")
        r.at_most(f, f"{k}.companies", comp_ids, MAX_COMPANIES, "companies")
        for c in comp_ids:
            if c not in companies:
                r.problem(f, f"{k}.companies", f"unknown company '{c}'")
        if len(set(comp_ids)) != len(comp_ids):
            r.problem(f, f"{k}.companies", "a company is listed twice")
        loop = r.strings(s, f, k, "loop")
        if len(loop) < 2:
            r.problem(f, f"{k}.loop", "needs at least two pillars")
        for p in loop:
            if p not in pillars:
                r.problem(f, f"{k}.loop", f"unknown pillar '{p}'")
        if len(set(loop)) != len(loop):
            r.problem(f, f"{k}.loop", "a pillar is listed twice: the loop passes each pillar once")
        provider = s.get("waybill_provider")
        if provider is not None and not isinstance(provider, str):
            r.problem(f, f"{k}.waybill_provider", "must be a company id")
            provider = None
        if provider is not None and provider not in companies:
            r.problem(f, f"{k}.waybill_provider", f"unknown company '{provider}'")
        seller = s.get("traffic_seller")
        if seller is not None and (not isinstance(seller, str) or seller not in companies):
            r.problem(f, f"{k}.traffic_seller", f"must be a company id, not {seller!r}")
            seller = None
        disabled = r.strings(s, f, k, "disabled_actions")
        for a in disabled:
            if a not in action_ids:
                r.problem(f, f"{k}.disabled_actions", f"unknown action '{a}'")
        locked_raw = s.get("locked_capabilities", {})
        locked: dict[str, frozenset[str]] = {}
        if not isinstance(locked_raw, dict):
            r.problem(f, f"{k}.locked_capabilities", "must be a table of company = [capabilities]")
            locked_raw = {}
        for c in locked_raw:
            if c not in companies:
                r.problem(f, f"{k}.locked_capabilities.{c}", f"unknown company '{c}'")
            caps_t = r.strings(locked_raw, f, f"{k}.locked_capabilities", c)
            for cap in caps_t:
                if cap not in cap_ids:
                    r.problem(f, f"{k}.locked_capabilities.{c}", f"unknown capability '{cap}'")
            locked[c] = frozenset(caps_t)

        v = r.table(d, f, "victory", required=False)
        r.unknown_keys(v, f, "victory", {"target_quarter_gmv", "requires_app", "mode",
                                         "quarter_points_cap", "quarter_points_power", "loop_points", "app_points",
                                         "ux_end_points", "regulator_event", "regulator_lead"})
        target = r.number(v, f, "victory", "target_quarter_gmv", -1.0, minimum=None)
        mode = r.string(v, f, "victory", "mode", "gmv")
        if mode not in ("gmv", "points"):
            r.problem(f, "victory.mode", f"must be \"gmv\" or \"points\" (got {mode!r})")
        regulator = r.string(v, f, "victory", "regulator_event", "")
        if regulator and regulator not in events:
            r.problem(f, "victory.regulator_event", f"unknown event '{regulator}'")

        links = []
        raw_links = d.get("outside_links", [])
        if not isinstance(raw_links, list):
            r.problem(f, "outside_links", "must be a list of tables ([[outside_links]])")
            raw_links = []
        share_by_host: dict[str, float] = {}
        first_link: dict[tuple[str, str], int] = {}
        for j, lt in enumerate(raw_links):
            lk = f"outside_links[{j}]"
            if not isinstance(lt, dict):
                r.problem(f, lk, "must be a table with host, partner, share and fee_rate")
                continue
            r.unknown_keys(lt, f, lk, {"host", "partner", "share", "fee_rate", "points_share"})
            host, partner = r.string(lt, f, lk, "host"), r.string(lt, f, lk, "partner")
            for role, c in (("host", host), ("partner", partner)):
                if _given(lt, role) and c not in companies:
                    r.problem(f, f"{lk}.{role}", f"unknown company '{c}'")
            if host and host == partner:
                r.problem(f, lk, "a company cannot link to itself")
            if (host, partner) in first_link:
                r.problem(f, lk, f"links {host} to {partner} a second time "
                                 f"(first in outside_links[{first_link[host, partner]}])")
            first_link.setdefault((host, partner), j)
            share = r.number(lt, f, lk, "share", maximum=1.0)
            share_by_host[host] = share_by_host.get(host, 0.0) + share
            links.append(OutsideLink(host, partner, share, r.number(lt, f, lk, "fee_rate", maximum=1.0),
                                     r.number(lt, f, lk, "points_share", 0.0, maximum=1.0)))
        for host, total in share_by_host.items():
            if total > 0.95:
                r.problem(f, "outside_links", f"{host}'s link shares add up to {total:.2f}; keep them under 0.95")

        deck_t = r.table(d, f, "deck", required=False)
        r.unknown_keys(deck_t, f, "deck", {"draw_chance", "weights"})
        weights = r.mapping(deck_t, f, "deck", "weights")
        for e in weights:
            if e not in events:
                r.problem(f, f"deck.weights.{e}", f"unknown event '{e}'")

        rounds = r.integer(s, f, k, "rounds", minimum=1, maximum=MAX_ROUNDS)
        scheduled: dict[int, list[str]] = {}
        raw_sched = d.get("scheduled", [])
        if not isinstance(raw_sched, list):
            r.problem(f, "scheduled", "must be a list of tables ([[scheduled]])")
            raw_sched = []
        for j, st in enumerate(raw_sched):
            sk = f"scheduled[{j}]"
            if not isinstance(st, dict):
                r.problem(f, sk, "must be a table with event and rounds")
                continue
            r.unknown_keys(st, f, sk, {"event", "rounds"})
            ev = r.string(st, f, sk, "event")
            if _given(st, "event") and ev not in events:
                r.problem(f, f"{sk}.event", f"unknown event '{ev}'")
            rr = st.get("rounds", [])
            if not isinstance(rr, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in rr):
                r.problem(f, f"{sk}.rounds", "must be a list of round numbers")
                rr = []
            if len(set(rr)) != len(rr):
                r.problem(f, f"{sk}.rounds", "a round is listed twice")
                rr = sorted(set(rr))
            for x in rr:
                if not 1 <= x <= rounds:
                    r.problem(f, f"{sk}.rounds", f"round {_short(x)} is outside 1..{rounds}")
                    continue
                scheduled.setdefault(x, []).append(ev)
        for x, evs in sorted(scheduled.items()):
            if len(evs) > MAX_EVENTS_PER_ROUND:
                r.problem(f, "scheduled", f"at most {MAX_EVENTS_PER_ROUND} events can be scheduled for "
                                          f"one round ({len(evs)} in round {x})")

        overrides = r.table(d, f, "company_overrides", required=False)
        specs = {}
        for c in comp_ids:
            if c not in companies:
                continue
            base = companies[c]
            if c in overrides and not isinstance(overrides[c], dict):
                r.problem(f, f"company_overrides.{c}", "must be a table of company keys")
                specs[c] = base
            elif c in overrides:
                merged = _company_to_dict(base) | overrides[c]
                specs[c] = _company(c, merged, f, f"company_overrides.{c}", r, sources, cap_ids,
                                    pillars, powers)
            else:
                specs[c] = base
        for c in overrides:
            if c not in comp_ids:
                r.problem(f, f"company_overrides.{c}", f"'{c}' is not one of this scenario's companies")

        out[sid] = Scenario(
            id=sid, order=r.integer(s, f, k, "order", 99),
            start_year=r.integer(s, f, k, "start_year", minimum=YEARS[0], maximum=YEARS[1]),
            start_quarter=r.integer(s, f, k, "start_quarter", minimum=1, maximum=4),
            rounds=rounds, actions_per_round=r.integer(s, f, k, "actions_per_round", minimum=1,
                                                       maximum=MAX_ACTIONS_PER_ROUND),
            companies=comp_ids, loop=loop, market=r.number(s, f, k, "market"),
            market_growth=r.number(s, f, k, "market_growth", 0.0, minimum=-0.5, maximum=MAX_MARKET_GROWTH),
            others_weight=r.number(s, f, k, "others_weight", 0.0),
            merchant_floor=r.number(s, f, k, "merchant_floor", 1.0, maximum=1.0),
            merchant_gain=r.number(s, f, k, "merchant_gain", 0.0, maximum=100.0),
            merchant_decay=r.number(s, f, k, "merchant_decay", 0.0, maximum=100.0),
            shelf_ux_floor=r.number(s, f, k, "shelf_ux_floor", 1.0, maximum=1.0),
            waybill_provider=provider, traffic_seller=seller,
            traffic_seller_share=r.number(s, f, k, "traffic_seller_share", 0.0, maximum=1.0),
            traffic_auction_step=r.number(s, f, k, "traffic_auction_step", 0.0, maximum=10.0),
            disabled_actions=frozenset(disabled),
            locked_capabilities=MappingProxyType(locked),
            target_quarter_gmv=target if target > 0 else None,
            requires_app=r.boolean(v, f, "victory", "requires_app", True),
            victory_points=mode == "points",
            quarter_points_cap=r.number(v, f, "victory", "quarter_points_cap", 1e6, minimum=0.001),
            quarter_points_power=r.number(v, f, "victory", "quarter_points_power", 1.0, minimum=0.1,
                                          maximum=1.0),
            loop_points=r.number(v, f, "victory", "loop_points", 0.0),
            app_points=r.number(v, f, "victory", "app_points", 0.0),
            ux_end_points=r.number(v, f, "victory", "ux_end_points", 0.0),
            regulator_event=regulator or None,
            regulator_lead=r.number(v, f, "victory", "regulator_lead", 1e6, minimum=0.0),
            outside_links=tuple(links),
            deck_draw_chance=r.number(deck_t, f, "deck", "draw_chance", 0.0, maximum=1.0),
            deck=tuple(weights.items()),
            scheduled=MappingProxyType({k2: tuple(v2) for k2, v2 in sorted(scheduled.items())}),
            company_specs=MappingProxyType(specs),
            name=r.text(s, f, k, "name"), text=r.text(s, f, k, "text"), source=sources(s, f, k))
    return out


def _company_to_dict(c: Company) -> Table:
    return {
        "color": c.color, "mark": c.mark, "users": c.users, "capital": c.capital, "ux": c.ux,
        "growth": c.growth, "traffic_factor": c.traffic_factor, "app_share": c.app_share,
        "app_launched": c.app_launched, "built": list(c.built), "powers": list(c.powers),
        "cost_mult": dict(c.cost_mult), "goal_gmv": c.goal_gmv, "merchants": c.merchants,
        "shelf_rate": c.shelf_rate,
        "name": {"zh": c.name.zh, "en": c.name.en},
        "app": {"zh": c.app.zh, "en": c.app.en}, "text": {"zh": c.text.zh, "en": c.text.en},
        "source": list(c.source),
    }
