from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.exchange.forms import ImportForm
from accord.exchange.preview import MAX_BYTES, document_digest, document_preview, document_read
from accord.exchange.selectors import partnership_export
from accord.exchange.services import document_import
from accord.lib.errors import Conflict
from accord.lib.http import AuthedRequest
from accord.lib.views import Failure, own_page, partnership_page, valid
from accord.partnerships.models import Partnership

# The uploaded file waiting to be imported, in the uploader's own session (never on the page): its
# text, checked, and its digest, which the "Create partnership" form names.
HELD = "accord_import"


@partnership_page()
def export(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """Everything you can see in this partnership, as a versioned JSON document."""
    document = partnership_export(partnership=partnership, user=request.user)
    response = HttpResponse(json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="accord-{partnership.pk}-export.json"'
    return response


def _upload_page(request: AuthedRequest, failure: Failure | None = None) -> HttpResponse:
    return render(request, "exchange/import.html", {"form": failure.form if failure else ImportForm()})


@own_page(invalid=_upload_page, back="exchange-import")
def import_upload(request: AuthedRequest) -> HttpResponse:
    """Upload an export; once it reads and would import, it waits in the session for the preview."""
    if request.method != "POST":
        return _upload_page(request)
    upload = valid(request, ImportForm(request.POST, request.FILES))["file"]
    raw = upload.read(MAX_BYTES + 1)
    document = document_read(raw)
    document_preview(document=document, user=request.user)  # refuses here what would not import
    request.session[HELD] = {"text": raw.decode("utf-8"), "digest": document_digest(raw)}
    return redirect("exchange-import-preview")


@own_page(back="exchange-import")
def import_preview(request: AuthedRequest) -> HttpResponse:
    """What the uploaded file would create; nothing is saved until "Create partnership"."""
    held = request.session.get(HELD)
    if not held:
        messages.info(request, "Choose an export file to import first.")
        return redirect("exchange-import")
    preview = document_preview(document=json.loads(held["text"]), user=request.user)
    return render(request, "exchange/import_preview.html", {"preview": preview, "digest": held["digest"]})


@own_page(back="exchange-import")
@require_POST
def import_create(request: AuthedRequest) -> HttpResponse:
    held = request.session.get(HELD)
    if not held or request.POST.get("digest") != held["digest"]:
        raise Conflict("That file is no longer waiting to be imported: choose it again.")
    partnership = document_import(document=json.loads(held["text"]), member=request.user)
    del request.session[HELD]
    messages.success(request, f"{partnership.name} is imported: everything in the file is here.")
    return redirect("partnerships-detail", pid=partnership.pk)
