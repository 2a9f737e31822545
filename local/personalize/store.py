"""Resources, their lifecycle and the control-plane (AmazonPersonalize.*) operations.

Status is computed lazily from timestamps: CREATE PENDING for one stage, CREATE IN_PROGRESS for
another (and until background work such as an import or training has finished), then ACTIVE or
CREATE FAILED. The first terminal status is frozen. Deletes show DELETE PENDING for one stage,
then the resource disappears.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass, field

from . import filters as filter_lang
from .exceptions import (
    InvalidInputException,
    InvalidNextTokenException,
    LimitExceededException,
    ResourceAlreadyExistsException,
    ResourceInUseException,
    ResourceNotFoundException,
)
from .faults import Faults
from .imports import ImportedData, ImportFailure, read_import
from .model import Interactions, TrainedModel, train
from .schemas import check_for_dataset_type, parse_schema
from .settings import Settings

ACTIVE = "ACTIVE"
FAILED = "CREATE FAILED"
DATASET_TYPES = {"interactions": "Interactions", "items": "Items", "users": "Users"}
RECIPES = {
    "aws-user-personalization": "Recommends items for a user from implicit-feedback ALS, "
    "with exploration of items that have no interactions yet.",
    "aws-user-personalization-v2": "Same model as aws-user-personalization in the emulator.",
    "aws-popularity-count": "Recommends the most interacted-with items to every user.",
}


@dataclass
class Resource:
    """Any resource with a lifecycle. ``info`` holds the API-visible members."""

    kind: str
    arn: str
    name: str
    region: str
    info: dict
    created: float
    stages: tuple[float, float]
    parent: str | None = None
    fault_keys: tuple[str, ...] = ()
    outcome: tuple[str, str | None] | None = (ACTIVE, None)
    final: tuple[str, str | None] | None = None
    finished_at: float | None = None
    deleting_at: float | None = None
    extra: dict = field(default_factory=dict)


class Store:
    """All emulator state behind one lock."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.lock = threading.RLock()
        self.faults = Faults(settings.faults)
        self.generation = 0
        self.resources: dict[str, Resource] = {}
        self.trackers: dict[str, str] = {}  # trackingId -> event tracker ARN
        self.pending_imports: set[str] = set()

    # ----------------------------------------------------------------- bookkeeping
    def reset(self) -> None:
        with self.lock:
            self.generation += 1
            self.resources.clear()
            self.trackers.clear()
            self.pending_imports.clear()

    def arn(self, region: str, path: str) -> str:
        return f"arn:aws:personalize:{region}:{self.settings.account_id}:{path}"

    def now(self) -> float:
        return time.time()

    def stage(self, base: float | None = None) -> float:
        return self.settings.seconds(self.settings.stage_seconds if base is None else base)

    def add(self, res: Resource) -> Resource:
        if res.arn in self.resources:
            raise ResourceAlreadyExistsException(f"{res.kind} {res.arn} already exists")
        self.resources[res.arn] = res
        return res

    def new(self, kind, arn, name, region, info, parent=None, stages=None, keys=()) -> Resource:
        now = self.now()
        stage = self.stage()
        res = Resource(
            kind=kind,
            arn=arn,
            name=name,
            region=region,
            info=dict(info),
            created=now,
            stages=stages or (stage, stage),
            parent=parent,
            fault_keys=(name, arn, *keys),
        )
        res.info["creationDateTime"] = now
        return self.add(res)

    def status(self, res: Resource) -> str:
        now = self.now()
        if res.deleting_at is not None:
            return "DELETE PENDING"
        if res.final is not None:
            return res.final[0]
        age = now - res.created
        if age < res.stages[0]:
            return "CREATE PENDING"
        if self.faults.held(res.fault_keys):
            return "CREATE IN_PROGRESS"
        if age < res.stages[0] + res.stages[1] or res.outcome is None:
            return "CREATE IN_PROGRESS"
        reason = self.faults.failure(res.fault_keys)
        res.final = (FAILED, reason) if reason else res.outcome
        res.finished_at = max(now, res.created + res.stages[0] + res.stages[1])
        self.on_final(res)
        return res.final[0]

    def on_final(self, res: Resource) -> None:
        if res.kind == "dataset-import-job" and res.final[0] == ACTIVE:
            self.apply_import(res)

    def view(self, res: Resource) -> dict:
        status = self.status(res)
        out = dict(res.info)
        out["status"] = status
        out["lastUpdatedDateTime"] = (
            res.deleting_at
            or res.finished_at
            or res.created + min(self.now() - res.created, res.stages[0])
        )
        if res.final and res.final[1] and res.deleting_at is None:
            out["failureReason"] = res.final[1]
        return out

    def sweep(self) -> None:
        if self.pending_imports:
            self.refresh_imports()
        now = self.now()
        gone = [
            arn
            for arn, r in self.resources.items()
            if r.deleting_at is not None
            and now - r.deleting_at >= self.stage(self.settings.delete_seconds)
        ]
        for arn in gone:
            res = self.resources.pop(arn)
            if res.kind == "event-tracker":
                self.trackers.pop(res.info["trackingId"], None)

    def get(self, arn: str, kind: str, label: str | None = None) -> Resource:
        self.sweep()
        res = self.resources.get(arn)
        if res is None or res.kind != kind:
            raise ResourceNotFoundException(f"{label or kind} {arn} does not exist.")
        return res

    def children(self, parent: str, kind: str | None = None) -> list[Resource]:
        return [
            r
            for r in self.resources.values()
            if r.parent == parent and (kind is None or r.kind == kind)
        ]

    def require_active(self, res: Resource, what: str) -> None:
        # The service answers ResourceInUseException when a parent is not ACTIVE yet
        # (e.g. "Dataset group ... is not in ACTIVE state").
        status = self.status(res)
        if status != ACTIVE:
            raise ResourceInUseException(
                f"{what} {res.arn} is not in ACTIVE state (current status: {status})."
            )

    def start_delete(self, res: Resource) -> None:
        status = self.status(res)
        if status in ("CREATE PENDING", "CREATE IN_PROGRESS"):
            raise ResourceInUseException(
                f"{res.kind} {res.arn} cannot be deleted while its status is {status}."
            )
        if status == "DELETE PENDING":
            raise ResourceInUseException(f"{res.kind} {res.arn} is already being deleted.")
        res.deleting_at = self.now()

    def listing(self, items: list[Resource], params: dict, key: str, token_kind: str) -> dict:
        self.sweep()
        items = sorted(items, key=lambda r: (r.created, r.arn), reverse=True)
        start = 0
        if params.get("nextToken"):
            try:
                decoded = json.loads(base64.urlsafe_b64decode(params["nextToken"]))
                start = int(decoded["offset"])
                if decoded["kind"] != token_kind or start < 0:
                    raise ValueError
            except (ValueError, KeyError, TypeError):
                raise InvalidNextTokenException("The nextToken is not valid.") from None
        size = params.get("maxResults") or 100
        page = items[start : start + size]
        out = {key: [self.view(r) for r in page]}
        if start + size < len(items):
            token = json.dumps({"offset": start + size, "kind": token_kind}).encode()
            out["nextToken"] = base64.urlsafe_b64encode(token).decode()
        return out

    def in_region(self, region: str, kind: str) -> list[Resource]:
        self.sweep()
        return [r for r in self.resources.values() if r.kind == kind and r.region == region]

    # ---------------------------------------------------------------- dataset groups
    def op_CreateDatasetGroup(self, p, region):
        arn = self.arn(region, f"dataset-group/{p['name']}")
        info = {"name": p["name"], "datasetGroupArn": arn}
        for key in ("roleArn", "kmsKeyArn", "domain"):
            if key in p:
                info[key] = p[key]
        res = self.new("dataset-group", arn, p["name"], region, info)
        res.extra["tags"] = p.get("tags", [])
        return {"datasetGroupArn": arn, "domain": p.get("domain")}

    def op_DescribeDatasetGroup(self, p, region):
        res = self.get(p["datasetGroupArn"], "dataset-group", "Dataset group")
        return {"datasetGroup": self.view(res)}

    def op_ListDatasetGroups(self, p, region):
        items = self.in_region(region, "dataset-group")
        return self.listing(items, p, "datasetGroups", "dataset-group")

    def op_DeleteDatasetGroup(self, p, region):
        res = self.get(p["datasetGroupArn"], "dataset-group", "Dataset group")
        kids = [r for r in self.children(res.arn)]
        if kids:
            kinds = sorted({r.kind for r in kids})
            raise ResourceInUseException(
                f"Dataset group {res.arn} still has {', '.join(kinds)} resources; delete them "
                "first."
            )
        self.start_delete(res)
        return {}

    # ---------------------------------------------------------------------- schemas
    def op_CreateSchema(self, p, region):
        parse_schema(p["schema"])
        arn = self.arn(region, f"schema/{p['name']}")
        if arn in self.resources:
            raise ResourceAlreadyExistsException(f"Schema {arn} already exists.")
        info = {"name": p["name"], "schemaArn": arn, "schema": p["schema"]}
        if "domain" in p:
            info["domain"] = p["domain"]
        res = self.new("schema", arn, p["name"], region, info, stages=(0.0, 0.0))
        res.final = (ACTIVE, None)
        res.finished_at = res.created
        return {"schemaArn": arn}

    def op_DescribeSchema(self, p, region):
        res = self.get(p["schemaArn"], "schema", "Schema")
        view = self.view(res)
        view.pop("status", None)
        return {"schema": view}

    def op_ListSchemas(self, p, region):
        return self.listing(self.in_region(region, "schema"), p, "schemas", "schema")

    def op_DeleteSchema(self, p, region):
        res = self.get(p["schemaArn"], "schema", "Schema")
        users = [
            r.arn
            for r in self.resources.values()
            if r.info.get("schemaArn") == res.arn and r.kind == "dataset"
        ]
        if users:
            raise ResourceInUseException(f"Schema {res.arn} is used by dataset {users[0]}.")
        del self.resources[res.arn]
        return {}

    # --------------------------------------------------------------------- datasets
    def op_CreateDataset(self, p, region):
        group = self.get(p["datasetGroupArn"], "dataset-group", "Dataset group")
        schema = self.get(p["schemaArn"], "schema", "Schema")
        dataset_type = DATASET_TYPES.get(p["datasetType"].lower())
        if dataset_type is None:
            raise InvalidInputException(
                f"datasetType {p['datasetType']!r} is not supported by the emulator; use "
                "Interactions, Items or Users."
            )
        self.require_active(group, "Dataset group")
        fields = parse_schema(schema.info["schema"])
        check_for_dataset_type(fields, dataset_type)
        arn = f"{group.arn.replace(':dataset-group/', ':dataset/')}/{dataset_type.upper()}"
        if arn in self.resources:
            raise ResourceAlreadyExistsException(
                f"Dataset group {group.arn} already has a {dataset_type} dataset."
            )
        info = {
            "name": p["name"],
            "datasetArn": arn,
            "datasetGroupArn": group.arn,
            "datasetType": dataset_type.upper(),
            "schemaArn": schema.arn,
        }
        res = self.new("dataset", arn, p["name"], region, info, parent=group.arn)
        res.extra.update(
            fields=fields,
            type=dataset_type,
            interactions=Interactions(),
            records={},
            streamed=Interactions(),
            streamed_by_user={},
            version=0,
        )
        return {"datasetArn": arn}

    def op_DescribeDataset(self, p, region):
        return {"dataset": self.view(self.get(p["datasetArn"], "dataset", "Dataset"))}

    def op_ListDatasets(self, p, region):
        items = self.in_region(region, "dataset")
        if p.get("datasetGroupArn"):
            self.get(p["datasetGroupArn"], "dataset-group", "Dataset group")
            items = [r for r in items if r.parent == p["datasetGroupArn"]]
        return self.listing(items, p, "datasets", "dataset")

    def op_DeleteDataset(self, p, region):
        res = self.get(p["datasetArn"], "dataset", "Dataset")
        for job in self.children(res.arn, "dataset-import-job"):
            if self.status(job) not in (ACTIVE, FAILED):
                raise ResourceInUseException(
                    f"Dataset {res.arn} has import job {job.arn} in progress."
                )
        self.start_delete(res)
        for job in self.children(res.arn, "dataset-import-job"):
            job.deleting_at = res.deleting_at
        return {}

    def dataset_of(self, group_arn: str, dataset_type: str) -> Resource | None:
        arn = f"{group_arn.replace(':dataset-group/', ':dataset/')}/{dataset_type.upper()}"
        res = self.resources.get(arn)
        return res if res is not None and res.deleting_at is None else None

    # ------------------------------------------------------------------ import jobs
    def op_CreateDatasetImportJob(self, p, region):
        dataset = self.get(p["datasetArn"], "dataset", "Dataset")
        self.require_active(dataset, "Dataset")
        location = p["dataSource"].get("dataLocation")
        if not location:
            raise InvalidInputException("dataSource.dataLocation is required.")
        if not location.startswith("s3://"):
            raise InvalidInputException(f"dataLocation must be an s3:// URL: {location}")
        arn = self.arn(region, f"dataset-import-job/{p['jobName']}")
        if arn in self.resources:
            raise ResourceAlreadyExistsException(f"Dataset import job {arn} already exists.")
        info = {
            "jobName": p["jobName"],
            "datasetImportJobArn": arn,
            "datasetArn": dataset.arn,
            "dataSource": p["dataSource"],
            "importMode": p.get("importMode", "FULL"),
            "publishAttributionMetricsToS3": p.get("publishAttributionMetricsToS3", False),
        }
        if "roleArn" in p:
            info["roleArn"] = p["roleArn"]
        res = self.new("dataset-import-job", arn, p["jobName"], region, info, parent=dataset.arn)
        res.outcome = None
        self.pending_imports.add(arn)
        fields, dataset_type = dataset.extra["fields"], dataset.extra["type"]
        self.background(res, lambda: read_import(location, fields, dataset_type), self._imported)
        return {"datasetImportJobArn": arn}

    def _imported(self, res: Resource, result) -> None:
        if isinstance(result, ImportFailure):
            res.outcome = (FAILED, str(result))
        elif isinstance(result, Exception):
            res.outcome = (FAILED, f"Import failed: {result}")
        else:
            res.extra["data"] = result
            res.outcome = (ACTIVE, None)

    def apply_import(self, job: Resource) -> None:
        dataset = self.resources.get(job.parent)
        data: ImportedData | None = job.extra.pop("data", None)
        if dataset is None or data is None:
            return
        full = job.info["importMode"] == "FULL"
        if dataset.extra["type"] == "Interactions":
            if full:
                dataset.extra["interactions"] = Interactions()
            dataset.extra["interactions"].extend(data.interactions)
        else:
            if full:
                dataset.extra["records"] = {}
            dataset.extra["records"].update(data.records)
        dataset.extra["version"] += 1

    def background(self, res: Resource, work, done) -> None:
        generation = self.generation

        def run():
            try:
                result = work()
            except Exception as exc:  # reported through the resource's failureReason
                result = exc
            with self.lock:
                if self.generation == generation:
                    done(res, result)

        threading.Thread(target=run, name=f"emulator-{res.kind}", daemon=True).start()

    def refresh_imports(self) -> None:
        """Finalise imports whose time is up so their rows reach the dataset."""
        for arn in list(self.pending_imports):
            res = self.resources.get(arn)
            if res is None or self.status(res) not in ("CREATE PENDING", "CREATE IN_PROGRESS"):
                self.pending_imports.discard(arn)

    def op_DescribeDatasetImportJob(self, p, region):
        res = self.get(p["datasetImportJobArn"], "dataset-import-job", "Dataset import job")
        return {"datasetImportJob": self.view(res)}

    def op_ListDatasetImportJobs(self, p, region):
        items = self.in_region(region, "dataset-import-job")
        if p.get("datasetArn"):
            items = [r for r in items if r.parent == p["datasetArn"]]
        return self.listing(items, p, "datasetImportJobs", "dataset-import-job")

    # ---------------------------------------------------------------------- recipes
    def recipe_view(self, name: str) -> dict:
        return {
            "name": name,
            "recipeArn": f"arn:aws:personalize:::recipe/{name}",
            "algorithmArn": f"arn:aws:personalize:::algorithm/{name}",
            "featureTransformationArn": "arn:aws:personalize:::feature-transformation/"
            "JSON-percentile-filtering",
            "status": ACTIVE,
            "description": RECIPES[name],
            "recipeType": "USER_PERSONALIZATION",
            "creationDateTime": 1543622400.0,
            "lastUpdatedDateTime": 1543622400.0,
        }

    def op_DescribeRecipe(self, p, region):
        name = p["recipeArn"].rpartition("recipe/")[2]
        if name not in RECIPES or not p["recipeArn"].startswith("arn:aws:personalize:::recipe/"):
            raise ResourceNotFoundException(f"Recipe {p['recipeArn']} does not exist.")
        return {"recipe": self.recipe_view(name)}

    def op_ListRecipes(self, p, region):
        if p.get("domain"):
            return {"recipes": []}
        return {"recipes": [self.recipe_view(n) for n in RECIPES]}

    # -------------------------------------------------------------------- solutions
    def op_CreateSolution(self, p, region):
        group = self.get(p["datasetGroupArn"], "dataset-group", "Dataset group")
        recipe = p.get("recipeArn")
        if not recipe:
            if p.get("performAutoML"):
                recipe = "arn:aws:personalize:::recipe/aws-user-personalization"
            else:
                raise InvalidInputException("recipeArn is required unless performAutoML is true.")
        name = recipe.rpartition("recipe/")[2]
        if name not in RECIPES or not recipe.startswith("arn:aws:personalize:::recipe/"):
            raise ResourceNotFoundException(f"Recipe {recipe} does not exist.")
        self.require_active(group, "Dataset group")
        arn = self.arn(region, f"solution/{p['name']}")
        if arn in self.resources:
            raise ResourceAlreadyExistsException(f"Solution {arn} already exists.")
        info = {
            "name": p["name"],
            "solutionArn": arn,
            "recipeArn": recipe,
            "datasetGroupArn": group.arn,
            "performHPO": p.get("performHPO", False),
            "performAutoML": p.get("performAutoML", False),
            "performAutoTraining": p.get("performAutoTraining", False),
            "performIncrementalUpdate": p.get("performIncrementalUpdate", False),
        }
        for key in ("eventType", "solutionConfig"):
            if key in p:
                info[key] = p[key]
        self.new("solution", arn, p["name"], region, info, parent=group.arn)
        return {"solutionArn": arn}

    def op_DescribeSolution(self, p, region):
        res = self.get(p["solutionArn"], "solution", "Solution")
        view = self.view(res)
        versions = self.children(res.arn, "solution-version")
        if versions:
            latest = max(versions, key=lambda r: r.created)
            view["latestSolutionVersion"] = self.view(latest)
        return {"solution": view}

    def op_ListSolutions(self, p, region):
        items = self.in_region(region, "solution")
        if p.get("datasetGroupArn"):
            items = [r for r in items if r.parent == p["datasetGroupArn"]]
        return self.listing(items, p, "solutions", "solution")

    def op_DeleteSolution(self, p, region):
        res = self.get(p["solutionArn"], "solution", "Solution")
        versions = self.children(res.arn, "solution-version")
        campaigns = [
            c
            for c in self.resources.values()
            if c.kind == "campaign" and c.info["solutionVersionArn"] in {v.arn for v in versions}
        ]
        if campaigns:
            raise ResourceInUseException(
                f"Solution {res.arn} is used by campaign {campaigns[0].arn}; delete it first."
            )
        for version in versions:
            if self.status(version) == "CREATE IN_PROGRESS":
                raise ResourceInUseException(
                    f"Solution {res.arn} has solution version {version.arn} in progress."
                )
        self.start_delete(res)
        for version in versions:
            version.deleting_at = res.deleting_at
        return {}

    # ------------------------------------------------------------ solution versions
    def op_StopSolutionVersionCreation(self, p, region):
        res = self.get(p["solutionVersionArn"], "solution-version", "Solution version")
        status = self.status(res)
        if status not in ("CREATE PENDING", "CREATE IN_PROGRESS"):
            raise InvalidInputException(
                f"Solution version {res.arn} is {status}; only a version in CREATE PENDING or "
                "CREATE IN_PROGRESS can be stopped."
            )
        # The service passes through CREATE STOPPING; the emulator stops at once.
        res.final = ("CREATE STOPPED", None)
        res.finished_at = self.now()
        return {}

    def op_CreateSolutionVersion(self, p, region):
        solution = self.get(p["solutionArn"], "solution", "Solution")
        self.require_active(solution, "Solution")
        mode = p.get("trainingMode", "FULL")
        if mode == "AUTOTRAIN":
            raise InvalidInputException("trainingMode AUTOTRAIN is set by the service, not by you.")
        recipe = solution.info["recipeArn"].rpartition("/")[2]
        if mode == "UPDATE":
            if recipe not in ("aws-user-personalization", "aws-user-personalization-v2"):
                raise InvalidInputException(
                    f"trainingMode UPDATE is not supported for recipe {recipe}."
                )
            fulls = [
                v
                for v in self.children(solution.arn, "solution-version")
                if v.info["trainingMode"] == "FULL" and self.status(v) == ACTIVE
            ]
            if not fulls:
                raise InvalidInputException(
                    f"Solution {solution.arn} has no ACTIVE solution version with trainingMode "
                    "FULL; create one before using trainingMode UPDATE."
                )
        group_arn = solution.parent
        self.refresh_imports()
        dataset = self.dataset_of(group_arn, "Interactions")
        data = Interactions()
        streamed_upto = 0
        if dataset is not None:
            data.extend(dataset.extra["interactions"])
            data.extend(dataset.extra["streamed"])
            streamed_upto = len(dataset.extra["streamed"])
        if solution.info.get("eventType"):
            keep = [i for i, t in enumerate(data.event_types) if t == solution.info["eventType"]]
            data = Interactions(
                [data.users[i] for i in keep],
                [data.items[i] for i in keep],
                [data.timestamps[i] for i in keep],
                [data.event_types[i] for i in keep],
            )
        arn = f"{solution.arn}/{uuid.uuid4().hex[:8]}"
        info = {
            "solutionVersionArn": arn,
            "solutionArn": solution.arn,
            "trainingMode": mode,
            "trainingType": "MANUAL",
            "recipeArn": solution.info["recipeArn"],
            "datasetGroupArn": group_arn,
            "performHPO": solution.info["performHPO"],
            "performAutoML": solution.info["performAutoML"],
            "performIncrementalUpdate": solution.info.get("performIncrementalUpdate", False),
            "eventType": solution.info.get("eventType"),
            "solutionConfig": solution.info.get("solutionConfig"),
        }
        if "name" in p:
            info["name"] = p["name"]
        stages = (self.stage(), self.stage(self.settings.training_seconds))
        res = self.new(
            "solution-version",
            arn,
            p.get("name", arn.rpartition("/")[2]),
            region,
            info,
            parent=solution.arn,
            stages=stages,
            keys=(solution.name, solution.arn),
        )
        res.outcome = None
        res.extra["streamed_upto"] = streamed_upto
        params = (solution.info.get("solutionConfig") or {}).get("algorithmHyperParameters")
        seed = self.settings.seed
        started = time.perf_counter()

        def work():
            return train(recipe, data, seed, params)

        def done(r: Resource, result):
            r.info["trainingHours"] = round((time.perf_counter() - started) / 3600, 6)
            if isinstance(result, TrainedModel):
                r.extra["model"] = result
                r.outcome = (ACTIVE, None)
            else:
                r.outcome = (FAILED, str(result))

        self.background(res, work, done)
        return {"solutionVersionArn": arn}

    def op_DescribeSolutionVersion(self, p, region):
        res = self.get(p["solutionVersionArn"], "solution-version", "Solution version")
        return {"solutionVersion": self.view(res)}

    def op_ListSolutionVersions(self, p, region):
        items = self.in_region(region, "solution-version")
        if p.get("solutionArn"):
            self.get(p["solutionArn"], "solution", "Solution")
            items = [r for r in items if r.parent == p["solutionArn"]]
        return self.listing(items, p, "solutionVersions", "solution-version")

    def op_GetSolutionMetrics(self, p, region):
        res = self.get(p["solutionVersionArn"], "solution-version", "Solution version")
        self.require_active(res, "Solution version")
        return {"solutionVersionArn": res.arn, "metrics": dict(res.extra["model"].metrics)}

    # -------------------------------------------------------------------- campaigns
    def _campaign_config(self, version: Resource, config: dict | None) -> dict:
        config = dict(config or {})
        recipe = version.info["recipeArn"].rpartition("/")[2]
        if recipe.startswith("aws-user-personalization"):
            exploration = {"explorationWeight": "0.3", "explorationItemAgeCutOff": "30"}
            exploration.update(config.get("itemExplorationConfig") or {})
            try:
                weight = float(exploration["explorationWeight"])
            except ValueError:
                weight = -1.0
            if not 0.0 <= weight <= 1.0:
                raise InvalidInputException(
                    "campaignConfig.itemExplorationConfig.explorationWeight must be a number "
                    "from 0 to 1."
                )
            config["itemExplorationConfig"] = exploration
        return config

    def op_CreateCampaign(self, p, region):
        version = self.get(p["solutionVersionArn"], "solution-version", "Solution version")
        self.require_active(version, "Solution version")
        arn = self.arn(region, f"campaign/{p['name']}")
        if arn in self.resources:
            raise ResourceAlreadyExistsException(f"Campaign {arn} already exists.")
        info = {
            "name": p["name"],
            "campaignArn": arn,
            "solutionVersionArn": version.arn,
            "minProvisionedTPS": p.get("minProvisionedTPS", 1),
            "campaignConfig": self._campaign_config(version, p.get("campaignConfig")),
        }
        self.new("campaign", arn, p["name"], region, info, parent=version.info["datasetGroupArn"])
        return {"campaignArn": arn}

    def campaign_view(self, res: Resource) -> dict:
        self.settle_update(res)
        view = self.view(res)
        update = res.extra.get("update")
        if update is not None:
            view["latestCampaignUpdate"] = self.view(update)
        return view

    def settle_update(self, res: Resource) -> None:
        update = res.extra.get("update")
        if update is None or update.extra.get("applied"):
            return
        if self.status(update) == ACTIVE:
            for key in ("solutionVersionArn", "minProvisionedTPS", "campaignConfig"):
                res.info[key] = update.info[key]
            update.extra["applied"] = True
            res.finished_at = update.finished_at

    def op_DescribeCampaign(self, p, region):
        return {"campaign": self.campaign_view(self.get(p["campaignArn"], "campaign", "Campaign"))}

    def op_ListCampaigns(self, p, region):
        items = self.in_region(region, "campaign")
        if p.get("solutionArn"):
            items = [
                r
                for r in items
                if r.info["solutionVersionArn"].rpartition("/")[0] == p["solutionArn"]
            ]
        return self.listing(items, p, "campaigns", "campaign")

    def op_UpdateCampaign(self, p, region):
        res = self.get(p["campaignArn"], "campaign", "Campaign")
        self.require_active(res, "Campaign")
        self.settle_update(res)
        current = res.extra.get("update")
        if current is not None and self.status(current) not in (ACTIVE, FAILED):
            raise ResourceInUseException(f"Campaign {res.arn} has an update in progress.")
        version_arn = p.get("solutionVersionArn", res.info["solutionVersionArn"])
        version = self.get(version_arn, "solution-version", "Solution version")
        self.require_active(version, "Solution version")
        if version.info["datasetGroupArn"] != res.parent:
            raise InvalidInputException("The solution version belongs to another dataset group.")
        config = res.info["campaignConfig"]
        if "campaignConfig" in p:
            config = self._campaign_config(version, {**config, **p["campaignConfig"]})
        info = {
            "solutionVersionArn": version.arn,
            "minProvisionedTPS": p.get("minProvisionedTPS", res.info["minProvisionedTPS"]),
            "campaignConfig": config,
        }
        now = self.now()
        update = Resource(
            kind="campaign-update",
            arn=res.arn,
            name=res.name,
            region=region,
            info=info | {"creationDateTime": now},
            created=now,
            stages=(self.stage(), self.stage()),
            fault_keys=res.fault_keys,
        )
        res.extra["update"] = update
        return {"campaignArn": res.arn}

    def op_DeleteCampaign(self, p, region):
        self.start_delete(self.get(p["campaignArn"], "campaign", "Campaign"))
        return {}

    # --------------------------------------------------------------- event trackers
    def op_CreateEventTracker(self, p, region):
        group = self.get(p["datasetGroupArn"], "dataset-group", "Dataset group")
        self.require_active(group, "Dataset group")
        if self.children(group.arn, "event-tracker"):
            raise LimitExceededException(
                f"Dataset group {group.arn} already has an event tracker (limit 1 per group)."
            )
        if any(
            r.kind == "event-tracker" and r.name == p["name"] and r.region == region
            for r in self.resources.values()
        ):
            raise ResourceAlreadyExistsException(f"Event tracker {p['name']} already exists.")
        tracking_id = str(uuid.uuid4())
        arn = self.arn(region, f"event-tracker/{uuid.uuid4().hex[:8]}")
        info = {
            "name": p["name"],
            "eventTrackerArn": arn,
            "accountId": self.settings.account_id,
            "trackingId": tracking_id,
            "datasetGroupArn": group.arn,
        }
        self.new("event-tracker", arn, p["name"], region, info, parent=group.arn)
        self.trackers[tracking_id] = arn
        return {"eventTrackerArn": arn, "trackingId": tracking_id}

    def op_DescribeEventTracker(self, p, region):
        res = self.get(p["eventTrackerArn"], "event-tracker", "Event tracker")
        return {"eventTracker": self.view(res)}

    def op_ListEventTrackers(self, p, region):
        items = self.in_region(region, "event-tracker")
        if p.get("datasetGroupArn"):
            items = [r for r in items if r.parent == p["datasetGroupArn"]]
        return self.listing(items, p, "eventTrackers", "event-tracker")

    def op_DeleteEventTracker(self, p, region):
        self.start_delete(self.get(p["eventTrackerArn"], "event-tracker", "Event tracker"))
        return {}

    # ---------------------------------------------------------------------- filters
    def op_CreateFilter(self, p, region):
        group = self.get(p["datasetGroupArn"], "dataset-group", "Dataset group")
        self.require_active(group, "Dataset group")
        schemas = {}
        for dataset_type in ("Interactions", "Items", "Users"):
            dataset = self.dataset_of(group.arn, dataset_type)
            if dataset is not None:
                schemas[dataset_type] = {f.name for f in dataset.extra["fields"]}
        parsed = filter_lang.parse_filter(p["filterExpression"], schemas)
        arn = self.arn(region, f"filter/{p['name']}")
        if arn in self.resources:
            raise ResourceAlreadyExistsException(f"Filter {arn} already exists.")
        info = {
            "name": p["name"],
            "filterArn": arn,
            "datasetGroupArn": group.arn,
            "filterExpression": p["filterExpression"],
        }
        res = self.new("filter", arn, p["name"], region, info, parent=group.arn)
        res.extra["parsed"] = parsed
        return {"filterArn": arn}

    def op_DescribeFilter(self, p, region):
        return {"filter": self.view(self.get(p["filterArn"], "filter", "Filter"))}

    def op_ListFilters(self, p, region):
        items = self.in_region(region, "filter")
        if p.get("datasetGroupArn"):
            items = [r for r in items if r.parent == p["datasetGroupArn"]]
        return self.listing(items, p, "Filters", "filter")

    def op_DeleteFilter(self, p, region):
        self.start_delete(self.get(p["filterArn"], "filter", "Filter"))
        return {}

    # ------------------------------------------------------------------------- tags
    def op_ListTagsForResource(self, p, region):
        self.sweep()
        res = self.resources.get(p["resourceArn"])
        if res is None:
            raise ResourceNotFoundException(f"Resource {p['resourceArn']} does not exist.")
        return {"tags": res.extra.get("tags", [])}
