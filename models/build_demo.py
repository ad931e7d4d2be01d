"""Build the demo bundles: generated customer data sets and the models trained on them.

    python models/build_demo.py [--force] [--out models/]

The data is synthetic, seeded and reproducible. Its effects are known (see models/README.md), so the
explanations can be checked against the truth.

- Churn (``churn-demo``, ``churn-demo-linear``, classifiers): month-to-month contracts, short tenure, fibre
  internet, high bills, many support calls, paying by electronic check, and being a senior citizen all raise the
  chance to leave.
- Yearly spend (``spend-demo``, a regressor): bigger households, more store visits, a richer plan, a larger share of
  orders online and the first four years as a customer all raise what a customer spends in a year, in dollars.
- A later month of churn customers (``churn-demo/current.csv``, for the What changed page and ``plainsight drift``):
  new customers drawn the same way, but more of them on fibre, every bill about $6 higher, and a few paying by a
  digital wallet, a payment method the model never saw. Whether they left is drawn from the same documented effects
  (the new payment method has none), so the model's quality on them can be checked.
"""

from __future__ import annotations

import argparse
import string
import sys
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from xgboost import XGBClassifier, XGBRegressor

HERE = Path(__file__).resolve().parent
NUMERIC = ["tenure", "MonthlyCharges", "SupportCalls"]
CATEGORICAL = ["Contract", "InternetService", "PaymentMethod", "PaperlessBilling", "SeniorCitizen"]
FEATURES = [
    "tenure",
    "Contract",
    "MonthlyCharges",
    "InternetService",
    "SupportCalls",
    "PaymentMethod",
    "PaperlessBilling",
    "SeniorCitizen",
]

# The true model behind the data, on the log-odds scale (documented in models/README.md).
INTERCEPT = -1.55
CONTRACT = {"Month-to-month": 0.9, "One year": -0.5, "Two year": -1.5}
INTERNET = {"DSL": 0.0, "Fiber optic": 0.5, "No": -0.6}
PAYMENT = {
    "Electronic check": 0.45,
    "Mailed check": 0.0,
    "Bank transfer (automatic)": -0.1,
    "Credit card (automatic)": -0.15,
}
PER_MONTH_TENURE = -0.035
PER_DOLLAR_BILL = 0.012  # per $ above $65
PER_SUPPORT_CALL = 0.30
SENIOR = 0.30
PAPERLESS = 0.20


# The true model behind the spend data, in dollars a year (documented in models/README.md).
SPEND_NUMERIC = ["HouseholdSize", "tenure", "StoreVisits", "OnlineShare"]
SPEND_CATEGORICAL = ["Plan", "Region"]
SPEND_FEATURES = ["HouseholdSize", "tenure", "Plan", "Region", "StoreVisits", "OnlineShare"]
SPEND_BASE = 300.0  # one person, Basic plan, South, new, no store visits, nothing online
PER_EXTRA_PERSON = 150.0  # per person in the household beyond the first
PER_MONTH_LOYALTY = 5.0  # per month as a customer, for the first 48 months only
LOYALTY_MONTHS = 48
PLAN = {"Basic": 0.0, "Plus": 250.0, "Premium": 600.0}
REGION = {"North": 80.0, "South": 0.0, "East": 40.0, "West": -120.0}
PER_STORE_VISIT = 20.0
PER_ONLINE_POINT = 3.0  # per percentage point of orders placed online
SPEND_NOISE = 100.0  # standard deviation of what the columns cannot explain


# The later month (current.csv): its share of the reference's rows, who is on fibre, and how much bills rose.
CURRENT_SHARE = 1 / 3
CURRENT_INTERNET = (0.22, 0.62, 0.16)  # DSL, fibre, none: fibre up from 44%
CURRENT_BILL_RISE = 6.0
CURRENT_NEW_PAYMENT = ("Digital wallet", 0.03)  # a payment method launched since the model learned, and its share


def make_customers(
    n: int = 7043,
    *,
    seed: int = 42,
    internet_shares: tuple[float, float, float] = (0.34, 0.44, 0.22),
    bill_rise: float = 0.0,
    taken: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Generate ``n`` customers with the documented effects, some values missing, and whether they left.

    ``internet_shares`` (DSL, fibre, none) and ``bill_rise`` (dollars on every bill) make a later month; ``taken``
    holds ids the new customers must not have.
    """
    rng = np.random.default_rng(seed)
    ids = _ids(rng, n, taken=taken)
    tenure = np.clip(np.round(rng.gamma(1.3, 24, n)), 0, 72).astype(int)
    p_long = 1 / (1 + np.exp(-(tenure - 30) / 12))
    contract = np.where(
        rng.random(n) < 1 - p_long * 0.85,
        "Month-to-month",
        np.where(rng.random(n) < 0.5, "One year", "Two year"),
    )
    internet = rng.choice(list(INTERNET), n, p=list(internet_shares))
    base_bill = np.select([internet == "No", internet == "DSL"], [22.0, 55.0], 88.0) + bill_rise
    bills = np.round(np.clip(base_bill + rng.normal(0, 9, n), 18.0 + bill_rise, 120.0 + bill_rise), 2)
    calls = rng.poisson(np.where(internet == "Fiber optic", 1.6, 1.0)).astype(float)
    payment = rng.choice(list(PAYMENT), n, p=[0.34, 0.23, 0.22, 0.21])
    paperless = np.where(rng.random(n) < 0.59, "Yes", "No")
    senior = np.where(rng.random(n) < 0.16, "Yes", "No")

    logit = (
        INTERCEPT
        + np.vectorize(CONTRACT.get)(contract)
        + PER_MONTH_TENURE * tenure
        + PER_DOLLAR_BILL * (bills - 65)
        + np.vectorize(INTERNET.get)(internet)
        + PER_SUPPORT_CALL * calls
        + np.vectorize(PAYMENT.get)(payment)
        + SENIOR * (senior == "Yes")
        + PAPERLESS * (paperless == "Yes")
    )
    churn = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)

    frame = pd.DataFrame(
        {
            "customerID": ids,
            "tenure": tenure,
            "Contract": contract,
            "MonthlyCharges": bills,
            "InternetService": internet,
            "SupportCalls": calls,
            "PaymentMethod": payment,
            "PaperlessBilling": paperless,
            "SeniorCitizen": senior,
            "Churn": churn,
        }
    )
    # Real exports have gaps: a few bills, call counts and payment methods were never recorded.
    for column, share in (("MonthlyCharges", 0.02), ("SupportCalls", 0.03), ("PaymentMethod", 0.01)):
        frame.loc[rng.random(n) < share, column] = np.nan
    return frame


def make_spenders(n: int = 7043, *, seed: int = 7) -> pd.DataFrame:
    """Generate ``n`` customers of a store with the documented effects on their yearly spend ($), some gaps."""
    rng = np.random.default_rng(seed)
    ids = _ids(rng, n)
    household = np.clip(rng.poisson(1.6, n) + 1, 1, 7).astype(int)
    tenure = np.clip(np.round(rng.gamma(1.5, 22, n)), 0, 120).astype(int)
    # Bigger households pick the richer plans a little more often.
    premium = np.clip(0.10 + 0.05 * (household - 1), 0, 0.4)
    plus = np.full(n, 0.35)
    draw = rng.random(n)
    plan = np.where(draw < premium, "Premium", np.where(draw < premium + plus, "Plus", "Basic"))
    region = rng.choice(list(REGION), n, p=[0.28, 0.32, 0.22, 0.18])
    visits = np.clip(rng.poisson(rng.gamma(2.0, 7.0, n)), 0, 60).astype(float)
    online = np.round(np.clip(rng.beta(2, 3.5, n) * 100, 0, 100)).astype(float)

    spend = (
        SPEND_BASE
        + PER_EXTRA_PERSON * (household - 1)
        + PER_MONTH_LOYALTY * np.minimum(tenure, LOYALTY_MONTHS)
        + np.vectorize(PLAN.get)(plan)
        + np.vectorize(REGION.get)(region)
        + PER_STORE_VISIT * visits
        + PER_ONLINE_POINT * online
        + rng.normal(0, SPEND_NOISE, n)
    )
    frame = pd.DataFrame(
        {
            "customerID": ids,
            "HouseholdSize": household,
            "tenure": tenure,
            "Plan": plan,
            "Region": region,
            "StoreVisits": visits,
            "OnlineShare": online,
            "YearlySpend": np.round(np.maximum(spend, 0.0), 2),
        }
    )
    # As in real exports, a few visit counts, online shares and regions were never recorded.
    for column, share in (("StoreVisits", 0.03), ("OnlineShare", 0.02), ("Region", 0.01)):
        frame.loc[rng.random(n) < share, column] = np.nan
    return frame


def _ids(rng: np.random.Generator, n: int, *, taken: frozenset[str] = frozenset()) -> list[str]:
    letters = np.array(list(string.ascii_uppercase))
    seen: set[str] = set(taken)
    out = []
    while len(out) < n:
        candidate = f"{rng.integers(1000, 10000)}-{''.join(rng.choice(letters, 5))}"
        if candidate not in seen:
            seen.add(candidate)
            out.append(candidate)
    return out


def _preprocessor(
    *, scale: bool, numeric: list[str] = NUMERIC, categorical: list[str] = CATEGORICAL
) -> ColumnTransformer:
    numbers: list[tuple[str, object]] = [("impute", SimpleImputer(strategy="median"))]
    if scale:
        numbers.append(("scale", StandardScaler()))
    categories = Pipeline(
        [("impute", SimpleImputer(strategy="most_frequent")), ("onehot", OneHotEncoder(handle_unknown="ignore"))]
    )
    return ColumnTransformer([("num", Pipeline(numbers), numeric), ("cat", categories, categorical)])


def xgboost_model(*, n_estimators: int = 300) -> Pipeline:
    """The demo's main model: XGBoost after imputing numbers and one-hot encoding categories."""
    booster = XGBClassifier(
        n_estimators=n_estimators, max_depth=4, learning_rate=0.05, subsample=0.9, random_state=0, n_jobs=2
    )
    return Pipeline([("prepare", _preprocessor(scale=False)), ("model", booster)])


def linear_model() -> Pipeline:
    """The logistic-regression twin, for the linear views."""
    return Pipeline([("prepare", _preprocessor(scale=True)), ("model", LogisticRegression(max_iter=2000))])


def spend_model(*, n_estimators: int = 300) -> Pipeline:
    """The regression demo: XGBoost predicting yearly spend ($) after the same imputing and one-hot encoding."""
    booster = XGBRegressor(
        n_estimators=n_estimators, max_depth=4, learning_rate=0.05, subsample=0.9, random_state=0, n_jobs=2
    )
    prepare = _preprocessor(scale=False, numeric=SPEND_NUMERIC, categorical=SPEND_CATEGORICAL)
    return Pipeline([("prepare", prepare), ("model", booster)])


def build_bundle(
    folder: Path, model: Pipeline, data: pd.DataFrame, *, features: list[str] = FEATURES, target: str = "Churn"
) -> None:
    """Write data.csv, then fit ``model`` on the data as read back (so the app sees the same types) and save it."""
    folder.mkdir(parents=True, exist_ok=True)
    data.to_csv(folder / "data.csv", index=False)
    frame = pd.read_csv(folder / "data.csv", dtype={"customerID": str})
    model.fit(frame[features], frame[target])
    joblib.dump(model, folder / "model.joblib")


def make_current(reference: pd.DataFrame, *, seed: int = 2024) -> pd.DataFrame:
    """A later month of customers: a third as many as ``reference``, new ids, more fibre, higher bills and a new
    payment method (given after whether they left is drawn, so it has no effect of its own)."""
    later = make_customers(
        max(round(len(reference) * CURRENT_SHARE), 1),
        seed=seed,
        internet_shares=CURRENT_INTERNET,
        bill_rise=CURRENT_BILL_RISE,
        taken=frozenset(reference["customerID"].astype(str)),
    )
    method, share = CURRENT_NEW_PAYMENT
    later.loc[np.random.default_rng(seed).random(len(later)) < share, "PaymentMethod"] = method
    return later


def build_current(folder: Path, *, force: bool = False) -> bool:
    """Write ``current.csv`` beside the bundle's ``data.csv`` when it is missing (or with ``force``); whether it did."""
    target = folder / "current.csv"
    if target.exists() and not force:
        return False
    reference = pd.read_csv(folder / "data.csv", dtype={"customerID": str})
    make_current(reference).to_csv(target, index=False)
    return True


def build_all(out: Path = HERE, *, force: bool = False, n: int = 7043, n_estimators: int = 300) -> list[Path]:
    """Build every demo bundle in ``out`` that is missing (or all, with ``force``); returns those built."""
    data: dict[str, pd.DataFrame] = {}  # each data set generated once, and only when a bundle needs it
    makers = {"churn": make_customers, "spend": make_spenders}
    built = []
    for name, make, source, features, target in (
        ("churn-demo", lambda: xgboost_model(n_estimators=n_estimators), "churn", FEATURES, "Churn"),
        ("churn-demo-linear", linear_model, "churn", FEATURES, "Churn"),
        ("spend-demo", lambda: spend_model(n_estimators=n_estimators), "spend", SPEND_FEATURES, "YearlySpend"),
    ):
        folder = out / name
        if force or not (folder / "model.joblib").exists() or not (folder / "data.csv").exists():
            if source not in data:
                data[source] = makers[source](n)
            build_bundle(folder, make(), data[source], features=features, target=target)
            card = HERE / name / "card.yaml"
            if folder.resolve() != (HERE / name).resolve() and card.exists():
                (folder / "card.yaml").write_text(card.read_text(encoding="utf-8"), encoding="utf-8")
            built.append(folder)
    # The churn demo's later month, for What changed: built from the reference it is compared with.
    churn = out / "churn-demo"
    if build_current(churn, force=force or churn in built) and churn not in built:
        built.append(churn)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if the bundles exist")
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write the bundles into")
    args = parser.parse_args(argv)
    built = build_all(args.out, force=args.force)
    for folder in built:
        print(f"built {folder}")
    if not built:
        print("demo bundles already built (use --force to rebuild)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
