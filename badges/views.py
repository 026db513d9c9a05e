"""Public badge pages and the hosted Open Badges documents.

Everything here is public and reached by public id through the selectors;
an unknown or malformed id gives 404.
"""

from urllib.parse import urlencode

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from badges import (
    drawing,
    keys,
    links,
    openbadges2,
    openbadges3,
    selectors,
    transparency,
)
from badges.baking import OB3_KEYWORD, bake_svg
from badges.certificates import certificate_pdf
from badges.design import design_of
from badges.drawing_svg import draw_badge_svg
from badges.forms import VerifyBadgeForm
from badges.verification import verify_presented
from mex import pagecache


def _json_response(document: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        openbadges2.dumps(document),
        content_type=openbadges2.JSON_CONTENT_TYPE,
        status=status,
    )
    # Verifiers on other sites fetch these documents from scripts.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def baked_svg(assertion) -> bytes:
    """Return the SVG badge of an assertion, baked with what it was issued as."""
    badge_class = assertion.badge_class
    svg = draw_badge_svg(
        title=badge_class.name,
        college=badge_class.college.name,
        issued_on=timezone.localdate(assertion.issued_on),
        verify_url=links.verify_url(assertion),
        colour=badge_class.primary_colour,
    )
    document = openbadges2.issued_assertion_document(assertion)
    svg = bake_svg(
        svg,
        openbadges2.dumps(document).decode("utf-8"),
        verify=links.assertion_url(assertion),
    )
    if assertion.credential_jwt:
        svg = bake_svg(svg, assertion.credential_jwt, keyword=OB3_KEYWORD)
    return svg


def _assertion_or_404(public_id):
    assertion = selectors.public_assertion(public_id)
    if assertion is None:
        raise Http404("No such badge.")
    return assertion


def assertion_status(assertion) -> str:
    """Return ``revoked``, ``expired`` or ``valid``."""
    if assertion.revoked:
        return "revoked"
    if assertion.expires_on is not None and assertion.expires_on <= timezone.now():
        return "expired"
    return "valid"


@require_safe
@pagecache.cached_page
def verify(request: HttpRequest, public_id) -> HttpResponse:
    assertion = _assertion_or_404(public_id)
    badge_class = assertion.badge_class
    status = assertion_status(assertion)
    if status == "valid" and assertion.expires_on is not None:
        # The page turns to "expired" with no write to the database.
        pagecache.fresh_until(request, assertion.expires_on)
    context = {
        "assertion": assertion,
        "badge_class": badge_class,
        "course": badge_class.course,
        "issuer": badge_class.college,
        "recipient_name": assertion.recipient.user.display_name,
        "status": status,
        "assertion_url": links.assertion_url(assertion),
        "verify_url": links.verify_url(assertion),
        "issuer_url": links.issuer_url(badge_class.college_id),
        "badge_class_url": links.badge_class_url(badge_class),
        "credential_url": openbadges3.credential_url(assertion),
        "log_proof_url": links.absolute_url("badges:log_proof", assertion.public_id),
        "log_entries": assertion.log_entries.all(),
        "image_url": links.assertion_image_url(assertion),
        "is_recipient": request.user.is_authenticated
        and assertion.recipient.user_id == request.user.pk,
        "linkedin_url": linkedin_url(assertion),
    }
    return render(request, "badges/verify.html", context)


@require_safe
def assertion_json(request: HttpRequest, public_id) -> HttpResponse:
    assertion = _assertion_or_404(public_id)
    document = openbadges2.assertion_document(assertion)
    # A revoked assertion answers 410 Gone with revoked: true and the reason,
    # so that verifiers that read only the status still see the revocation.
    status = 410 if assertion.revoked else 200
    return _json_response(document, status=status)


@require_safe
def assertion_image(request: HttpRequest, public_id) -> HttpResponse:
    assertion = _assertion_or_404(public_id)
    if not assertion.image:
        raise Http404("This badge's image is not ready yet.")
    return FileResponse(
        assertion.image.open("rb"),
        content_type="image/png",
        as_attachment="download" in request.GET,
        filename=f"badge-{assertion.public_id}.png",
    )


@require_safe
def certificate(request: HttpRequest, public_id) -> HttpResponse:
    """Serve a printable PDF certificate with the badge's QR code."""
    assertion = _assertion_or_404(public_id)
    response = HttpResponse(certificate_pdf(assertion), content_type="application/pdf")
    filename = f"certificate-{assertion.public_id}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def linkedin_url(assertion) -> str:
    """Return LinkedIn's add-to-profile link for a badge as a certification."""
    issued = timezone.localdate(assertion.issued_on)
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": assertion.badge_class.name,
        "organizationName": assertion.badge_class.college.name,
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": links.verify_url(assertion),
        "certId": str(assertion.public_id),
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(query)


@require_safe
def assertion_svg(request: HttpRequest, public_id) -> HttpResponse:
    """Serve the badge as an SVG baked with the 2.0 assertion and 3.0 JWT."""
    assertion = _assertion_or_404(public_id)
    svg = baked_svg(assertion)
    response = HttpResponse(svg, content_type="image/svg+xml")
    if "download" in request.GET:
        filename = f"badge-{assertion.public_id}.svg"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def badge_class_json(request: HttpRequest, public_id) -> HttpResponse:
    badge_class = selectors.public_badge_class(public_id)
    if badge_class is None:
        raise Http404("No such badge class.")
    return _json_response(openbadges2.badge_class_document(badge_class))


@require_safe
def badge_class_image(request: HttpRequest, public_id) -> HttpResponse:
    badge_class = selectors.public_badge_class(public_id)
    if badge_class is None:
        raise Http404("No such badge class.")
    png = drawing.draw_badge_png(
        title=badge_class.name,
        college=badge_class.college.name,
        issued_on=None,
        verify_url=None,
        **design_of(badge_class),
    )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def issuer_json(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = selectors.public_issuer(organization_id)
    if organization is None:
        raise Http404("No such issuer.")
    return _json_response(openbadges2.issuer_document(organization))


@require_safe
def revocation_list(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = selectors.public_issuer(organization_id)
    if organization is None:
        raise Http404("No such issuer.")
    revoked = selectors.revoked_assertions_of_issuer(organization_id)
    return _json_response(openbadges2.revocation_list_document(organization, revoked))


@require_safe
def credential(request: HttpRequest, public_id) -> HttpResponse:
    """Serve the Open Badges 3.0 credential as issued: a signed VC-JWT."""
    assertion = _assertion_or_404(public_id)
    if not assertion.credential_jwt:
        raise Http404("This badge has no Open Badges 3.0 credential.")
    response = HttpResponse(
        assertion.credential_jwt, content_type=openbadges3.JWT_CONTENT_TYPE
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def jwks(request: HttpRequest, organization_id: int) -> HttpResponse:
    """Serve every public key that signed or signs this issuer's badges."""
    if selectors.public_issuer(organization_id) is None:
        raise Http404("No such issuer.")
    response = JsonResponse(keys.public_jwks())
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def credential_revocations(request: HttpRequest, organization_id: int):
    organization = selectors.public_issuer(organization_id)
    if organization is None:
        raise Http404("No such issuer.")
    revoked = selectors.revoked_assertions_of_issuer(organization_id)
    document = openbadges3.credential_revocation_list(organization, revoked)
    return _json_response(document)


@require_safe
def log_head(request: HttpRequest) -> HttpResponse:
    """Serve the latest signed tree head of the badge transparency log."""
    head = transparency.latest_tree_head()
    if head is None:
        document = {"tree_size": 0, "sha256_root_hash": None, "signature": None}
    else:
        document = {
            "tree_size": head.tree_size,
            "timestamp": int(head.timestamp.timestamp() * 1000),
            "sha256_root_hash": head.root_hash,
            "signature": head.signature,
        }
    document["keys"] = links.absolute_url("badges:log_keys")
    response = JsonResponse(document)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def log_keys(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(keys.public_jwks())
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def log_proof(request: HttpRequest, public_id) -> HttpResponse:
    """Serve an assertion's log entries with their inclusion proofs."""
    assertion = _assertion_or_404(public_id)
    document = {
        "assertion": links.assertion_url(assertion),
        "proofs": transparency.inclusion_proofs(assertion),
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def verify_tool(request: HttpRequest) -> HttpResponse:
    """Let anyone check a badge image, badge JSON or VC-JWT."""
    result = None
    if request.method == "POST":
        form = VerifyBadgeForm(request.POST, request.FILES)
        if form.is_valid():
            image = form.cleaned_data.get("image")
            result = verify_presented(
                data=image.read() if image else None,
                text=form.cleaned_data.get("text") or "",
                email=form.cleaned_data.get("email") or "",
            )
    else:
        form = VerifyBadgeForm()
    return render(request, "badges/verify_tool.html", {"form": form, "result": result})
