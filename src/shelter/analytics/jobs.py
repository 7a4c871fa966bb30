"""The analytics app's kind of job: a state's briefing laid out as PDF the first time it is asked for through the
web (see :mod:`shelter.jobs.documents`), with what its asker may see (a public briefing: what anyone may see)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from shelter.analytics.briefing import build_briefing, render_html, render_pdf
from shelter.analytics.services import Audience
from shelter.jobs import documents
from shelter.jobs.models import Job
from shelter.jobs.services import Progress, runner

BRIEFING_PDF = "analytics.briefing_pdf"
BUILDING = gettext_noop("building the briefing")
LAYING_OUT = gettext_noop("laying out the PDF")
LAID_OUT = gettext_noop("laid out")


def briefing_params(state: str, public: bool, year_from: int | None, year_to: int | None, language: str,
                    name: str) -> dict[str, object]:
    return {"state": state, "public": public, "year_from": year_from, "year_to": year_to, "briefing_language": language,
            "name": name}


@runner(BRIEFING_PDF, label=gettext_lazy("briefing as PDF"), stages=(BUILDING, LAYING_OUT, LAID_OUT))
def briefing_pdf(job: Job, progress: Progress) -> str:
    params = job.params
    # the asker's own visibility, or what anyone may see for a public briefing (and for a job without an asker)
    audience = Audience(job.asker, public=bool(params["public"]) or job.asker is None)
    language = str(params["briefing_language"])
    progress.update(BUILDING, 0, 2)
    briefing = build_briefing(str(params["state"]), audience, params.get("year_from"), params.get("year_to"), language)
    html = render_html(briefing, language)
    progress.update(LAYING_OUT, 1, 2)
    pdf = render_pdf(briefing, language)
    documents.keep(progress, html, str(params["name"]), "application/pdf", pdf)
    progress.update(LAID_OUT, 2, 2)
    return _("Briefing on %(state)s laid out as PDF (%(size)s KB).") % {
        "state": briefing.state_name, "size": f"{len(pdf) // 1024:,}"}
