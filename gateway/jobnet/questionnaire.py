""" "Oplysninger fra dig" as a short form in steps that works without JavaScript: each step
posts everything answered so far (the earlier steps as hidden fields), the server checks the
step and shows the next; the last step sends all answers with one `questionnaireSubmit`.

The checks here mirror the mutation's input (enums, bounded numbers, the one free text's
length) so a person hears about a mistake on the step where they made it; the mutation checks
again, and its `userErrors` are shown on the step of the field they name.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gateway.jobnet import texts

GOAL_TEXT_MAX = 120
OTHER_MAX = 500
CHILDREN_MAX = 10

#: (step number, title, the form fields it asks)
STEPS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "Dit mål", ("goal", "goal_text")),
    (2, "Dig og dit netværk", ("self_belief", "network")),
    (3, "Dit helbred", ("mental_health", "physical_health", "psychiatry")),
    (4, "Det der kan gøre det svært", ("barriers", "other_difficulties", "children_at_home")),
    (5, "Se dine svar og send", ()),
)
LAST = STEPS[-1][0]
FIELDS = tuple(name for _, _, names in STEPS for name in names)

#: The mutation's input fields and the form fields they come from.
INPUT_FIELDS = {
    "goal": "goal",
    "goalText": "goal_text",
    "selfBelief": "self_belief",
    "network": "network",
    "barriers": "barriers",
    "otherDifficulties": "other_difficulties",
    "childrenAtHome": "children_at_home",
    "mentalHealth": "mental_health",
    "physicalHealth": "physical_health",
    "contactWithPsychiatry": "psychiatry",
}


def step_of(form_field: str) -> int:
    return next((number for number, _, names in STEPS if form_field in names), LAST)


@dataclass
class Answers:
    """The answers so far, as the form carries them (strings; barriers a list)."""

    values: dict[str, str] = field(default_factory=dict)
    barriers: list[str] = field(default_factory=list)
    key: str = field(default_factory=lambda: str(uuid.uuid4()))

    @classmethod
    def from_form(cls, form: Any) -> Answers:
        values = {
            name: str(form.get(name, "")).strip()
            for name in FIELDS
            if name != "barriers" and form.get(name) is not None
        }
        barriers = [str(b) for b in form.getlist("barriers") if str(b) in texts.BARRIERS]
        key = str(form.get("key", ""))
        try:  # the idempotency key made when the form was opened: one submission, once
            key = str(uuid.UUID(key))
        except ValueError:
            key = str(uuid.uuid4())
        return cls(values=values, barriers=list(dict.fromkeys(barriers)), key=key)

    @classmethod
    def from_profile(
        cls, questionnaire: Mapping[str, Any] | None, health: Mapping[str, Any] | None
    ) -> Answers:
        """The young person's current answers, to start from."""
        values: dict[str, str] = {}
        barriers: list[str] = []
        if questionnaire:
            goal = questionnaire.get("goal") or {}
            values["goal"] = goal.get("type") or ""
            values["goal_text"] = goal.get("text") or ""
            for name, key in (
                ("self_belief", "selfBelief"),
                ("network", "network"),
                ("children_at_home", "childrenAtHome"),
            ):
                if questionnaire.get(key) is not None:
                    values[name] = str(questionnaire[key])
            barriers = [b for b in questionnaire.get("barriers") or [] if b in texts.BARRIERS]
        if health:
            values["mental_health"] = str(health.get("mentalHealth") or "")
            values["physical_health"] = str(health.get("physicalHealth") or "")
            psychiatry = health.get("contactWithPsychiatry")
            values["psychiatry"] = "" if psychiatry is None else ("ja" if psychiatry else "nej")
        return cls(values={k: v for k, v in values.items() if v}, barriers=barriers)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def hidden(self, but: Sequence[str]) -> list[tuple[str, str]]:
        """(name, value) pairs of the answers of the other steps, to carry as hidden fields."""
        pairs = [(name, value) for name, value in self.values.items() if name not in but]
        if "barriers" not in but:
            pairs += [("barriers", barrier) for barrier in self.barriers]
        return pairs

    def check(self, step: int) -> dict[str, str]:
        """`{field: Danish error}` for the fields of one step."""
        errors: dict[str, str] = {}
        names = next(names for number, _, names in STEPS if number == step)
        if "goal" in names and self.get("goal") not in texts.GOALS:
            errors["goal"] = "Vælg, om dit mål er uddannelse, job, eller om du ikke ved det endnu"
        if "goal_text" in names and len(self.get("goal_text")) > GOAL_TEXT_MAX:
            errors["goal_text"] = f"Skriv højst {GOAL_TEXT_MAX} tegn"
        if "self_belief" in names and not _in_scale(self.get("self_belief")):
            errors["self_belief"] = "Vælg, hvor meget du tror på, at du når dit mål"
        if "network" in names and self.get("network") not in texts.NETWORK:
            errors["network"] = "Vælg, hvor mange du har at støtte dig til"
        if "mental_health" in names and not _in_scale(self.get("mental_health")):
            errors["mental_health"] = "Vælg, hvordan du har det mentalt"
        if "physical_health" in names and not _in_scale(self.get("physical_health")):
            errors["physical_health"] = "Vælg, hvordan du har det fysisk"
        if "psychiatry" in names and self.get("psychiatry") not in ("", "ja", "nej"):
            errors["psychiatry"] = "Vælg ja, nej eller vil ikke svare"
        if "other_difficulties" in names and len(self.get("other_difficulties")) > OTHER_MAX:
            errors["other_difficulties"] = f"Skriv højst {OTHER_MAX} tegn"
        if "children_at_home" in names:
            children = self.get("children_at_home")
            if not (children.isdigit() and 0 <= int(children) <= CHILDREN_MAX):
                errors["children_at_home"] = f"Skriv et tal fra 0 til {CHILDREN_MAX}"
        return errors

    def first_invalid_step(self) -> tuple[int, dict[str, str]] | None:
        for number, _, _ in STEPS[:-1]:
            errors = self.check(number)
            if errors:
                return number, errors
        return None

    def mutation_input(self) -> dict[str, Any]:
        psychiatry = self.get("psychiatry")
        return {
            "idempotencyKey": self.key,
            "goal": self.get("goal"),
            "goalText": self.get("goal_text") or None,
            "selfBelief": int(self.get("self_belief")),
            "network": self.get("network"),
            "barriers": list(self.barriers),
            "otherDifficulties": self.get("other_difficulties") or None,
            "childrenAtHome": int(self.get("children_at_home")),
            "mentalHealth": int(self.get("mental_health")),
            "physicalHealth": int(self.get("physical_health")),
            "contactWithPsychiatry": None if not psychiatry else psychiatry == "ja",
        }

    def summary(self) -> list[tuple[str, str]]:
        """(question, answer) in Danish, for the last step."""
        psychiatry = {"ja": "Ja", "nej": "Nej", "": "Vil ikke svare"}[self.get("psychiatry")]
        return [
            ("Dit mål", texts.GOALS.get(self.get("goal"), "")),
            ("Med dine egne ord", self.get("goal_text") or "–"),
            ("Tror du på, at du når dit mål?", _scale(texts.BELIEF, self.get("self_belief"))),
            ("Dit netværk", texts.NETWORK.get(self.get("network"), "")),
            ("Dit mentale helbred", _scale(texts.SCALE, self.get("mental_health"))),
            ("Dit fysiske helbred", _scale(texts.SCALE, self.get("physical_health"))),
            ("Kontakt med psykiatrien", psychiatry),
            (
                "Det kan gøre det svært",
                texts.join_da(texts.BARRIERS[b].lower() for b in self.barriers).capitalize()
                or "Ingenting valgt",
            ),
            ("Andet der gør det svært", self.get("other_difficulties") or "–"),
            ("Børn der bor hjemme hos dig", self.get("children_at_home")),
        ]


def _in_scale(value: str) -> bool:
    return value.isdigit() and 1 <= int(value) <= 5


def _scale(words: Mapping[int, str], value: str) -> str:
    return words.get(int(value), value) if value.isdigit() else ""


def user_errors(errors: Sequence[Mapping[str, Any]]) -> tuple[int, dict[str, str]]:
    """The mutation's userErrors as (the step to show, {form field: message})."""
    found: dict[str, str] = {}
    for error in errors:
        path = [str(p) for p in error.get("field") or []]
        name = next((INPUT_FIELDS[p] for p in reversed(path) if p in INPUT_FIELDS), None)
        message = "Svaret kunne ikke gemmes. Ret det og prøv igen."
        found.setdefault(name or "_form", message)
    steps = [step_of(name) for name in found if name != "_form"]
    return (min(steps) if steps else LAST), found
