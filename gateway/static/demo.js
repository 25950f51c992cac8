// Demo mode's GraphiQL (gateway/graphiql.py): a persona picker above GraphiQL. The person chosen
// signs every request (Authorization: Bearer <their demo token>); the choice is kept in
// localStorage, so it survives a reload. Tokens come from GET /demo/tokens (demo mode only).
(function () {
  "use strict";

  var STORAGE_KEY = "ungeprofil.persona";
  var DEFAULT_PERSONA = "jette.hansen";
  var GRAPHQL_URL = window.location.origin + "/graphql";
  var e = React.createElement;

  var ROLE_LABELS = {
    youth: "young person",
    contact_person: "contact person",
    mentor: "mentor",
    business_consultant: "business consultant",
    institution_contact: "institution contact",
    case_system: "case system",
    privacy_officer: "privacy officer",
  };

  function exampleQuery(persona) {
    if (persona && persona.role === "youth") {
      return "# Signed in as " + persona.name + ": your own profile.\n" +
        "{\n  me {\n    cpr\n    identity { firstName lastName age }\n" +
        "    plan { educationGoal jobGoals }\n    grades { year }\n  }\n}\n";
    }
    return "# Choose who you are above; every request is signed as that person.\n" +
      "# Fields the policy does not release come back null with a FORBIDDEN error.\n" +
      "{\n  youth(cpr: \"1503044112\", purpose: PLANNING) {\n    cpr\n" +
      "    identity { firstName lastName age }\n    plan { educationGoal jobGoals }\n" +
      "    grades { year }\n  }\n}\n";
  }

  function storedChoice(personas) {
    var stored = null;
    try {
      stored = window.localStorage.getItem(STORAGE_KEY);
    } catch (_) {
      stored = null; // storage disabled: the default persona, every time
    }
    if (stored && personas[stored]) return stored;
    return personas[DEFAULT_PERSONA] ? DEFAULT_PERSONA : Object.keys(personas)[0];
  }

  // GraphiQL keeps its tabs and queries in storage: one namespace per person, so each keeps
  // their own (and a young person does not start from a professional's query).
  function personaStorage(sub) {
    var prefix = "ungeprofil:" + sub + ":";
    var own = function () {
      return Object.keys(window.localStorage).filter(function (key) {
        return key.indexOf(prefix) === 0;
      });
    };
    return {
      getItem: function (key) { return window.localStorage.getItem(prefix + key); },
      setItem: function (key, value) { window.localStorage.setItem(prefix + key, value); },
      removeItem: function (key) { window.localStorage.removeItem(prefix + key); },
      clear: function () { own().forEach(function (key) { window.localStorage.removeItem(key); }); },
      key: function (index) { return own()[index] || null; },
      get length() { return own().length; },
    };
  }

  function App(props) {
    var personas = props.personas;
    var state = React.useState(function () { return storedChoice(personas); });
    var chosen = state[0];
    var setChosen = state[1];
    var persona = personas[chosen];

    var fetcher = React.useMemo(function () {
      return GraphiQL.createFetcher({
        url: GRAPHQL_URL,
        headers: { Authorization: "Bearer " + persona.token },
      });
    }, [persona.token]);

    var storage = React.useMemo(function () {
      try {
        return personaStorage(chosen);
      } catch (_) {
        return undefined; // storage disabled: GraphiQL's own fallback
      }
    }, [chosen]);

    function choose(event) {
      var sub = event.target.value;
      try {
        window.localStorage.setItem(STORAGE_KEY, sub);
      } catch (_) {
        // storage disabled: the choice lasts until the page is left
      }
      setChosen(sub);
    }

    var options = Object.keys(personas).map(function (sub) {
      var p = personas[sub];
      var label = p.name + " (" + (ROLE_LABELS[p.role] || p.role) + ")";
      return e("option", { key: sub, value: sub }, label);
    });

    return e(
      "div",
      { className: "ungeprofil-demo" },
      e(
        "header",
        { className: "ungeprofil-signin" },
        e("strong", null, "Ungeprofil demo"),
        e("label", { htmlFor: "ungeprofil-persona" }, "Signed in as"),
        e("select", { id: "ungeprofil-persona", value: chosen, onChange: choose }, options),
        e(
          "span",
          { className: "ungeprofil-who", "data-testid": "signed-in" },
          "sub " + chosen + (persona.org ? " · " + persona.org : "")
        )
      ),
      e(
        "main",
        { className: "ungeprofil-ide" },
        // keyed by the person: a new sign-in starts a fresh GraphiQL (schema, example query)
        e(GraphiQL, {
          key: chosen,
          fetcher: fetcher,
          defaultQuery: exampleQuery(persona),
          storage: storage,
          shouldPersistHeaders: false,
        })
      )
    );
  }

  function fail(message) {
    document.getElementById("graphiql").textContent = message;
  }

  fetch("/demo/tokens", { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error("GET /demo/tokens: " + response.status);
      return response.json();
    })
    .then(function (personas) {
      var root = ReactDOM.createRoot(document.getElementById("graphiql"));
      root.render(e(App, { personas: personas }));
    })
    .catch(function (error) {
      fail("Could not load the demo personas (" + error.message + ").");
    });
})();
