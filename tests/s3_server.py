"""A real S3-compatible server on 127.0.0.1: moto's standalone server, started as its own
process for the test session (MinIO is not installable here), and the STORAGES that use it."""

import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import boto3
import pytest

from newsroom.settings import s3_storages
from tests.smtp_sink import free_port

BUCKET = "newsroom-test-media"
KEYS = {"access_key": "testing", "secret_key": "testing"}


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """The server stops by itself if the test run dies (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)
    except OSError:
        pass


@dataclass
class S3Server:
    endpoint_url: str
    process: subprocess.Popen

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def storages(self, bucket: str = BUCKET) -> dict:
        media = s3_storages(endpoint_url=self.endpoint_url, bucket=bucket, **KEYS)
        return {
            "default": media["renditions"],
            **media,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }

    def keys(self, bucket: str = BUCKET, prefix: str = "") -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def empty(self, bucket: str = BUCKET) -> None:
        client = self.client()
        for key in self.keys(bucket):
            client.delete_object(Bucket=bucket, Key=key)


def public_renditions(bucket: str) -> dict:
    """The bucket policy of a deployment: anyone may read renditions/, nothing else."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicRenditions",
                "Effect": "Allow",
                "Principal": "*",
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{bucket}/renditions/*"],
            }
        ],
    }


def start_s3_server() -> S3Server:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        env=os.environ | {"MOTO_ALLOW_NONEXISTENT_REGION": "1"},
    )
    server = S3Server(endpoint_url=f"http://127.0.0.1:{port}", process=process)
    deadline = time.monotonic() + 60
    while True:
        try:
            server.client().list_buckets()
            return server
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("moto's S3 server did not start") from None
            time.sleep(0.2)


@pytest.fixture(scope="session")
def s3_server():
    try:
        import moto.server  # noqa: F401
    except ImportError:
        if os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1":
            raise
        pytest.skip("moto[server] is not installed (make install brings it)")
    server = start_s3_server()
    server.client().create_bucket(Bucket=BUCKET)
    server.client().put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_renditions(BUCKET)))
    yield server
    server.process.terminate()
    server.process.wait(timeout=10)


@pytest.fixture
def s3_media(s3_server, settings):
    """STORAGES point at the S3 server, with an empty bucket, for one test."""
    s3_server.empty()
    settings.STORAGES = s3_server.storages()
    yield s3_server
    s3_server.empty()
