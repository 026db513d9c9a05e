import pytest
from django.core.exceptions import ImproperlyConfigured

from mex.settings.storage import media_storage


def test_filesystem_by_default():
    assert media_storage("filesystem")["BACKEND"].endswith("FileSystemStorage")


def test_s3_reads_bucket_and_endpoint(monkeypatch):
    # given
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "mex-media")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)

    # when
    storage = media_storage("s3")

    # then
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "mex-media"
    assert storage["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert "access_key" not in storage["OPTIONS"]
    assert storage["OPTIONS"]["file_overwrite"] is False


def test_s3_without_bucket_rejected(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)

    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        media_storage("s3")


def test_unknown_storage_rejected():
    with pytest.raises(ImproperlyConfigured, match="MEX_MEDIA_STORAGE='ftp'"):
        media_storage("ftp")
