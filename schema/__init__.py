"""The GraphQL contract of Ungeprofil: types, scalars and enums. Knows nothing of HTTP or registers."""
