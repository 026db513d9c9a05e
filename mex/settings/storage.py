"""Storage of uploaded and generated files (media): a folder or an S3 bucket.

MEX_MEDIA_STORAGE=filesystem (the default) keeps media under MEDIA_ROOT, a
volume in docker-compose.yml. MEX_MEDIA_STORAGE=s3 puts it in a bucket of any
S3-compatible service through django-storages (pip install ".[s3]").
"""

from django.core.exceptions import ImproperlyConfigured

from mex.settings.env import env_bool, env_str

MEDIA_STORAGES = ("filesystem", "s3")


def media_storage(kind: str) -> dict:
    """Return the STORAGES["default"] entry for a MEX_MEDIA_STORAGE value."""
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(
            f"MEX_MEDIA_STORAGE={kind!r} is invalid: set it to filesystem or s3."
        )
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is missing: MEX_MEDIA_STORAGE=s3 needs the "
            "bucket that holds media files."
        )

    # Credentials may also come from the instance role or ~/.aws, so empty
    # values are left out and boto3 looks for them itself.
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
        "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN") or None,
        # Signed, expiring URLs by default: media includes applicants' files.
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
        # Never replace an existing file: a badge image once issued must stay.
        "file_overwrite": False,
    }

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {key: value for key, value in options.items() if value is not None},
    }
