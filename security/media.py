"""When a document or image may be seen, and the views that serve media files.

Uploading makes nothing public. A document or image may be opened by anyone once a live, public
page uses it (Wagtail's reference index knows which pages do: it indexes what is live, never
drafts or revisions waiting for moderation), or when its collection is marked public
(PublicCollection). Editors who may use its collection (choose or change it) see it always, for
their drafts and previews. A collection with a view restriction (Wagtail's private collections)
keeps it: those rules are checked as well.

Media files are served by the site itself, never by the web server straight from MEDIA_ROOT:

    /media/images/...           renditions (what pages show), under the rule above
    /media/original_images/...  uploaded originals, only for editors who may use them
    /media/documents/...        never: documents go through /documenten/<id>/<name>

Behind nginx, SENDFILE_BACKEND = security.sendfile_nginx (with SENDFILE_URL) hands the bytes
over with X-Accel-Redirect after the check.

Wagtail's sendfile() writes `Content-Encoding: <guessed encoding>` even when there is none,
which comes out as the literal "None": both views here drop that header again."""

import mimetypes
import posixpath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_http_methods
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction, Page, ReferenceIndex
from wagtail.permissions import policy_registry
from wagtail.utils.sendfile import sendfile

from .models import PublicCollection

PUBLIC_MAX_AGE = 60 * 60  # seconds a public rendition may be cached (it may stop being public)


def used_by_public_page(item) -> bool:
    ids = (
        ReferenceIndex.get_references_to(item)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return Page.objects.live().public().filter(pk__in=[int(pk) for pk in ids]).exists()


def is_public(item) -> bool:
    """Anyone may open `item` (a document or image), as far as this site's rule goes."""
    return PublicCollection.objects.filter(
        collection_id=item.collection_id
    ).exists() or used_by_public_page(item)


def editor_may_see(user, item) -> bool:
    if not user.is_authenticated:
        return False
    policy = policy_registry.get_by_type(type(item))
    return policy.user_has_any_permission_for_instance(user, ["choose", "change"], item)


def check_access(request, item) -> None:
    """Http404 unless the request may see `item` (a 404 tells nothing about its existence)."""
    if not (editor_may_see(request.user, item) or is_public(item)):
        raise Http404


def _collection_restrictions_pass(request, collection) -> bool:
    restrictions = CollectionViewRestriction.objects.filter(
        collection__in=collection.get_ancestors(inclusive=True)
    )
    return all(r.accept_request(request) for r in restrictions)


def _without_missing_encoding(response):
    if response.get("Content-Encoding") == "None":
        del response["Content-Encoding"]
    return response


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (/documenten/<id>/<name>; its before_serve_document hook checks
    access and gives the document its hash, the ETag), with honest headers."""
    return _without_missing_encoding(
        wagtail_serve_document(request, document_id, document_filename)
    )


def _serve(request, path, public: bool):
    response = _without_missing_encoding(
        sendfile(
            request, path, mimetype=mimetypes.guess_type(path)[0] or "application/octet-stream"
        )
    )
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
    return response


@require_http_methods(["GET", "HEAD"])
def serve_media(request, path):
    """A file under MEDIA_URL, if the request may see it."""
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or "\x00" in path:
        raise Http404
    Image = get_image_model()
    full_path = str(settings.MEDIA_ROOT / path)
    if path.startswith("images/"):
        rendition = (
            Image.get_rendition_model()
            .objects.select_related("image__collection")
            .filter(file=path)
            .first()
        )
        if rendition is None:
            raise Http404
        item = rendition.image
        check_access(request, item)
        if not _collection_restrictions_pass(request, item.collection):
            raise Http404
        return _serve(request, full_path, public=not request.user.is_authenticated)
    if path.startswith("original_images/"):
        item = Image.objects.select_related("collection").filter(file=path).first()
        if item is None or not editor_may_see(request.user, item):
            raise Http404
        return _serve(request, full_path, public=False)
    raise Http404
