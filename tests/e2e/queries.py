"""Queries the tests share: the full profile selects every category of the youth view."""

PROFILE_FIELDS = """
  cpr
  identity { firstName lastName birthDate age municipality { code name } }
  schooling { courses { type status programme institution { number name } } }
  grades { year exams { subject grade } yearGrades { subject grade } }
  employment { jobs { employer { name } totalHours spareTimeJob } hoursRule { ordinaryHours met } }
  income { lines { payer { name } aIncome incomeTypeCode } }
  benefits { periods { type period { start end } } current { type } }
  admissions { admitted nextStart youthEducation { status institution { number } startDate }
               higherEducation { status startDate } }
  plan { educationGoal jobGoals planUpdated goalsAgreedWith { id name }
         offers { type period { start end } responsible { id name } } }
  casework { firstContact visitation { category } currentEducationOrderStep { step }
             conversations { type date } agreements { date text } }
  contacts { municipal { name role } institution { name role } }
  supportNeeds { wantsContact needs { academic social personal health } }
  dropoutRisks { date reason isActive }
  questionnaire { answered goal { type } }
  health { mentalHealth sharedWithContactPerson }
  socialPlans { status }
  deadlines { rule state reason dueOn daysOverdue evidence { register event date } }
"""

YOUTH = "query($cpr: CPR!, $purpose: Purpose!) { youth(cpr: $cpr, purpose: $purpose) { %s } }"
FULL_PROFILE = YOUTH % PROFILE_FIELDS
ME = f"{{ me {{ {PROFILE_FIELDS} }} }}"

ALL_FIELDS = (
    "identity",
    "schooling",
    "grades",
    "employment",
    "income",
    "benefits",
    "admissions",
    "plan",
    "casework",
    "contacts",
    "supportNeeds",
    "dropoutRisks",
    "questionnaire",
    "health",
    "socialPlans",
    "deadlines",
)
