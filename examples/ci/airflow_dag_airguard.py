"""An Airflow DAG that runs airguard on its own deployment once a day.

Copy into the DAG folder of a deployment where airguard and airguard-cron are installed on the
workers. The task fails (and Airflow's usual alerting fires) only when something new appeared
since the previous run, or when a source could not be read; an unchanged deployment is a quiet
success. Reports are kept in AIRGUARD_HISTORY.
"""

import os

import pendulum
from airflow import DAG
from airflow.operators.bash import BashOperator

AIRFLOW_HOME = os.environ.get("AIRFLOW_HOME", "/opt/airflow")
HISTORY = os.environ.get("AIRGUARD_HISTORY", f"{AIRFLOW_HOME}/airguard-history")

with DAG(
    dag_id="airguard_self_check",
    description="Daily hardening scan of this Airflow deployment",
    schedule="@daily",
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["security"],
    default_args={"retries": 0},
) as dag:
    BashOperator(
        task_id="airguard",
        # --env reads this worker's AIRFLOW__* variables, the ones the deployment really uses.
        bash_command=(
            f"airguard-cron --history {HISTORY} -- "
            f"--airflow-cfg {AIRFLOW_HOME}/airflow.cfg --env "
            f"--webserver-config {AIRFLOW_HOME}/webserver_config.py --fail-on high"
        ),
        # airguard-cron exits 0 when nothing is new; any other status fails the task.
        append_env=True,
    )
