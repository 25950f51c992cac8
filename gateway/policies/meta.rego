# METADATA
# title: Policy metadata
# description: |
#   The version of the policy and data the engine runs. An OPA server is asked for
#   data.ungeprofil.meta.version at start-up, so the gateway can refuse to run against another
#   version than the one it was built with.
package ungeprofil.meta

import rego.v1

version := data.ungeprofil.catalogue.policy_version
