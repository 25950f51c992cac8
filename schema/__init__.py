"""The GraphQL contract of Ungeprofil: types, scalars, enums. Knows nothing of HTTP or registers."""
