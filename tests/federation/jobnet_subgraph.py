"""A second subgraph for the federation tests: Jobnet's own data, extending `Youth` by `cpr`.

It adds `Youth.jobApplications` and a root field `applicants` that returns `Youth` references,
so a router must ask Ungeprofil's `_entities` for everything else about those young people.
`python -m tests.federation.jobnet_subgraph --port P [--key-type ID]` serves it on loopback;
`--key-type ID` declares the key as `ID!` (composition must then fail: FEDERATION.md).
"""

# No `from __future__ import annotations`: the types are built per key type inside a function,
# where strawberry could not resolve string annotations.
import argparse
from typing import Any, NewType

import strawberry
import uvicorn
from strawberry.asgi import GraphQL

CPR = NewType("CPR", str)

#: Applications per young person (fictional; Anne is a persona of the mocks).
APPLICATIONS: dict[str, list[tuple[str, str]]] = {
    "1503044112": [("Grøn Anlæg ApS", "Gartnerlærling"), ("Park & Vej", "Servicemedarbejder")],
}
#: Who applied to the job board's open position: Anne, and a CPR no register knows.
APPLICANTS = ["1503044112", "0101010101"]


@strawberry.type
class JobApplication:
    employer: str
    position: str


def build_schema(key_type: str = "CPR") -> strawberry.federation.Schema:
    scalar_map: dict[object, Any] = {}
    if key_type == "CPR":
        scalar_map[CPR] = strawberry.scalar(
            name="CPR", description="A Danish CPR number.", serialize=str, parse_value=str
        )
        key: Any = CPR
    else:
        key = strawberry.ID

    @strawberry.federation.type(keys=["cpr"])
    class Youth:
        cpr: key  # type: ignore[valid-type]

        @strawberry.field(description="Applications sent through Jobnet.")
        def job_applications(self) -> list[JobApplication]:
            return [
                JobApplication(employer=e, position=p) for e, p in APPLICATIONS.get(self.cpr, [])
            ]

        @classmethod
        def resolve_reference(cls, cpr: str):  # type: ignore[no-untyped-def]
            return cls(cpr=cpr)

    @strawberry.type
    class Query:
        @strawberry.field(description="Young people who applied through the job board.")
        def applicants(self) -> list[Youth | None]:
            return [Youth(cpr=cpr) for cpr in APPLICANTS]

    return strawberry.federation.Schema(
        query=Query,
        federation_version="2.9",
        config=strawberry.schema.config.StrawberryConfig(scalar_map=scalar_map),
    )


def sdl(key_type: str = "CPR") -> str:
    return build_schema(key_type).as_str()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key-type", choices=["CPR", "ID"], default="CPR")
    args = parser.parse_args()
    app = GraphQL(build_schema(args.key_type))
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
