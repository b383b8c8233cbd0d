"""One page read over and over by each simulated client (bench_platform_load.py sets which)."""

import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("LOAD_PATH", "/api/v1/cockpit/kpis?year=2020")
HEADERS = {}
if os.environ.get("LOAD_TOKEN"):
    HEADERS["Authorization"] = f"Bearer {os.environ['LOAD_TOKEN']}"
if os.environ.get("LOAD_SESSION"):
    HEADERS["Cookie"] = f"sessionid={os.environ['LOAD_SESSION']}"


class Reader(FastHttpUser):
    wait_time = constant(0)  # each client asks again as soon as it has its answer

    @task
    def read(self):
        with self.client.get(PATH, headers=HEADERS, name=PATH, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
