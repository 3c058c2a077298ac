"""DuckDB's SQL → Spark SQL, for the workbench's queries (needs only sqlglot, no Spark).

Every query under ``queries/`` is written in DuckDB's SQL against logical views (``events``,
``steps``, ``journeys`` ...), never against files. :func:`translate` turns one into Spark SQL
with `sqlglot <https://sqlglot.com>`_ and the
:class:`~workbench.engines.spark.dialect.WorkbenchSpark` dialect, which fixes the places where a
plain DuckDB → Spark translation runs but answers differently:

=====================================  ======================================================
DuckDB                                 Spark (what the plain translation gets wrong)
=====================================  ======================================================
``list(x ORDER BY k)``                 ``transform(array_sort(collect_list(struct(k, x))) …)``
                                       (plain: ``collect_list(x)``, the order is lost)
``list_transform(list_sort(list(k *``  the same ordered list (the fast DuckDB spelling of
``M + enum_code(x))), …)``             ``list(x ORDER BY k)``: Spark has no ENUM codes)
``epoch(a - b)``, ``epoch(ts)``        microseconds ÷ 10⁶ (plain: whole seconds)
``quantile_cont``, ``median``          exact ``percentile`` (plain: ``percentile_cont`` with
                                       an array, which Spark refuses, or an approximation)
``len(list)``                          ``size`` (plain: ``length``, which is for text)
``list_has_any(a, b)``                 ``arrays_overlap`` (plain: ``a && b``, refused)
``dayofweek`` (Sunday 0), ``isodow``   ``dayofweek - 1``, ``weekday + 1`` (plain: off by one)
``dayname``                            ``date_format(x, 'EEEE')``
``strftime(ts, '%G-W%V')`` (ISO week)  ``yearofweek`` and ``weekofyear`` (plain: the pattern
                                       printed literally)
``date_diff(part, a, b)``              boundaries crossed, as DuckDB counts them
``* EXCLUDE``, ``* REPLACE``,          expanded into the column list from the inputs' schema
``COLUMNS('regex')``, ``UNPIVOT``      (Spark has none of the star forms)
``CAST(x AS touchpoint_enum)``         ``STRING`` (Spark has no ENUM types)
``bit_count(bitstring_agg(k))``        ``count(DISTINCT k)`` (Spark has no bit sets)
``bit_count(bit_or(1 <<``              ``size(collect_set(x))`` (no ENUM codes; a distinct
``enum_code(x)))``                     aggregate would make Spark expand every row)
=====================================  ======================================================

The expression-level fixes are the dialect's (:mod:`workbench.engines.spark.dialect`); this
module rewrites whole query trees before the dialect spells them: stars and ``COLUMNS()``
expanded from the input schema, ``UNPIVOT`` and ``ASOF`` joins in Spark's forms, ENUM codes and
bit sets as the lists and counts they stand for.

What it cannot translate faithfully (``quantile_disc``, ``time_bucket``, ``epoch_ms``, file
table functions such as ``read_parquet``, descending list orders, anything sqlglot itself
reports as unsupported) raises :class:`~workbench.engines.spark.dialect.TranslationError`
instead of running differently. ``tests/test_spark.py`` runs every query on both engines over
the same data and compares the answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from workbench.engines.spark.dialect import DuckDBAsWritten, TranslationError, WorkbenchSpark

try:
    import sqlglot
    from sqlglot import exp
    from sqlglot.optimizer.annotate_types import annotate_types
    from sqlglot.optimizer.qualify import qualify
except ImportError as _exc:  # pragma: no cover - the extra is missing
    raise ImportError(
        "Running on Spark needs the spark extra: pip install 'journey-workbench[spark]'"
    ) from _exc

Schema = Mapping[str, Mapping[str, str]]
"""Column names and types (DuckDB spelling) of every input view, by view name."""

ENUM_SUFFIX = "_enum"


def _input_tables(tree: exp.Expression) -> list[exp.Table]:
    ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
    return [t for t in tree.find_all(exp.Table) if t.name not in ctes]


def inputs(sql: str) -> list[str]:
    """The views a query reads (its FROM/JOIN names that are not its own CTEs), sorted.

    Examples
    --------
    >>> inputs("with a as (select * from steps) select * from a join journeys using (k)")
    ['journeys', 'steps']
    """
    return sorted({t.name for t in _input_tables(sqlglot.parse_one(sql, read=DuckDBAsWritten))})


def _expand_columns(tree: exp.Expression, schema: Schema) -> None:
    """``COLUMNS('regex')`` → the input columns whose names match, in schema order."""
    names: list[str] = []
    for table in schema.values():
        names += [c for c in table if c not in names]
    for node in list(tree.find_all(exp.Columns)):
        pattern = re.compile(node.this.name)
        cols = [exp.column(c, quoted=True) for c in names if pattern.search(c)]
        if not cols:
            raise TranslationError(f"COLUMNS('{node.this.name}') matches no input column.")
        parent = node.parent
        if isinstance(parent, (exp.Select, exp.Pivot)):
            key = node.arg_key
            items: list[exp.Expression] = []
            for item in parent.args[key]:
                items += [c.copy() for c in cols] if item is node else [item]
            parent.set(key, items)
        else:
            raise TranslationError("COLUMNS(...) is only translated in a select list or UNPIVOT.")


def _unpivot_name(e: exp.Expression) -> exp.Expression:
    """A name of ``INTO NAME n VALUE v`` (DuckDB reads columns) as Spark's UNPIVOT holds it."""
    return e.this.copy() if isinstance(e, exp.Column) else e.copy()


def _unpivot_column(e: exp.Expression) -> exp.Expression:
    """A column, or a group ``(a1, a2) AS x``, of DuckDB's ``UNPIVOT ... ON`` as one of Spark's
    ``IN (...)``."""
    if isinstance(e, exp.Alias):
        return exp.PivotAlias(this=e.this.copy(), alias=e.args["alias"].copy())
    return e.copy()


def _rewrite_unpivot(tree: exp.Expression) -> exp.Expression:
    """DuckDB's ``UNPIVOT t ON a, b INTO NAME n VALUE v`` → Spark's ``SELECT * FROM t UNPIVOT
    (v FOR n IN (a, b))``; column groups ``ON (a1, a2) AS x`` → ``((v1, v2) FOR n IN ((a1, a2)
    AS x))``. Both engines drop the rows whose values are all NULL."""
    for node in list(tree.find_all(exp.Pivot)):
        into = node.args.get("into")
        if not node.args.get("unpivot") or not isinstance(into, exp.UnpivotColumns):
            continue
        values = [_unpivot_name(v) for v in into.expressions]
        pivot = exp.Pivot(
            expressions=[values[0] if len(values) == 1 else exp.Tuple(expressions=values)],
            fields=[
                exp.In(
                    this=_unpivot_name(into.this),
                    expressions=[_unpivot_column(c) for c in node.expressions],
                )
            ],
            unpivot=True,
            default_on_null=False,
            value_columns_first=False,
        )
        source = node.this.copy()
        if not isinstance(source, exp.Table):
            source = exp.Subquery(
                this=source, alias=exp.TableAlias(this=exp.to_identifier("unpivot_source"))
            )
        source.set("pivots", [pivot])
        node.replace(exp.paren(exp.select("*").from_(source, copy=False), copy=False))
    return tree


# An ASOF join's pairs, filled in by _asof_pairs: each row of the left side (asof_left, numbered
# by asof_row) with the right side's row (asof_right) nearest in time (asof_time, ordered by
# _asof_pairs), joined on the join's condition (asof_condition).
_ASOF_PAIRS = sqlglot.parse_one(
    """
    select asof_left, asof_right
    from (
        select
            struct(asof_left.*) as asof_left,
            struct(asof_right.*) as asof_right,
            row_number() over (partition by asof_left.asof_row order by asof_time) as asof_rank
        from (select *, monotonically_increasing_id() as asof_row from asof_source) as asof_left
        inner join asof_target on asof_condition
    )
    where asof_rank = 1
    """,
    read="spark",
)


def _asof_pairs(join: exp.Join, left: exp.Expression, cmp: exp.Expression) -> exp.Subquery:
    """The pairs of an ASOF ``join`` from ``left``, as a subquery ``asof_pairs`` whose rows are
    two structs named after the sides; ``cmp`` is the join's inequality, which says whether
    the nearest row is the latest before or the earliest after."""
    right = join.this
    lname, rname = left.alias_or_name, right.alias_or_name
    time = next(col for col in cmp.find_all(exp.Column) if col.table == rname)
    lhs_is_left = any(col.table == lname for col in cmp.this.find_all(exp.Column))
    latest = isinstance(cmp, (exp.GTE, exp.GT)) == lhs_is_left  # left ≥ right: nearest below
    source = left.copy()
    source.set("alias", None)
    names = {"asof_left": lname, "asof_right": rname}
    # Spark puts NULLs first in an ascending order and last in a descending one
    order = exp.Ordered(this=time.copy(), desc=latest, nulls_first=not latest)

    def fill(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Identifier) and node.this in names:
            return exp.to_identifier(names[node.this])
        if isinstance(node, exp.Table) and node.name in ("asof_source", "asof_target"):
            return source if node.name == "asof_source" else right.copy()
        if isinstance(node, exp.Ordered) and node.this.name == "asof_time":
            return order
        if isinstance(node, exp.Column) and node.name == "asof_condition":
            return join.args["on"].copy()
        return node

    return _ASOF_PAIRS.transform(fill).subquery("asof_pairs", copy=False)


def _rewrite_asof(tree: exp.Expression) -> None:
    """``FROM a AS u ASOF JOIN b AS j ON u.k = j.k AND u.t >= j.t`` (Spark has no ASOF join) →
    the inner join with the inequality, keeping for each row of ``a`` the ``b`` row nearest
    in time. The pairs come back as two structs named ``u`` and ``j``, so ``u.x`` and ``j.y``
    in the rest of the SELECT still resolve."""
    for join in list(tree.find_all(exp.Join)):
        if (join.text("method") or "").upper() != "ASOF":
            continue
        select = join.parent
        if join.side or join.kind not in ("", "INNER") or not isinstance(select, exp.Select):
            raise TranslationError("Only an inner ASOF JOIN is translated.")
        left = select.args["from_"].this
        sides = {left.alias_or_name, join.this.alias_or_name}
        ineq = [
            c
            for c in join.args["on"].find_all(exp.GTE, exp.GT, exp.LTE, exp.LT)
            if {col.table for col in c.find_all(exp.Column)} == sides
        ]
        if len(ineq) != 1:
            raise TranslationError("An ASOF JOIN needs exactly one inequality between its sides.")
        pairs = _asof_pairs(join, left, ineq[0])
        join.pop()
        select.set("from_", exp.From(this=pairs))


def _code_sorted_lists(tree: exp.Expression) -> None:
    """``list_transform(list_sort(list(k * M + enum_code(x))), lambda v: <x's values>[v % M + 1])``
    is DuckDB's fast spelling of ``list(x ORDER BY k)`` (it sorts numbers instead of each
    group's rows, then reads the ENUM values back by code); Spark has no ENUM codes, so it
    becomes that ordered list again, which the dialect translates (see
    :func:`workbench.engines.spark.dialect._ordered_list`)."""
    for node in list(tree.find_all(exp.Transform)):
        inner = node.this
        agg = inner.this if isinstance(inner, exp.ArraySort) else None
        add = agg.this if isinstance(agg, exp.ArrayAgg) else None
        if not isinstance(add, exp.Add) or not isinstance(add.this, exp.Mul):
            continue
        code = add.expression
        if not (isinstance(code, exp.Anonymous) and code.name.lower() == "enum_code"):
            continue
        (value,) = code.expressions
        key = add.this.this
        node.replace(
            exp.ArrayAgg(
                this=exp.Order(
                    this=value.copy(), expressions=[exp.Ordered(this=key.copy(), nulls_first=False)]
                )
            )
        )


def _enum_code_masks(tree: exp.Expression) -> None:
    """``bit_count(bit_or(1 << enum_code(x)))`` counts the distinct ENUM values in a group fast;
    Spark has no ENUM codes, so it becomes ``size(collect_set(x))`` (both ignore NULL). Not
    ``count(DISTINCT x)``: a distinct aggregate beside the others makes Spark expand every row
    once per distinct column and group twice, for a few values per group that a set holds."""
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.lower() != "enum_code":
            continue
        top = node.find_ancestor(exp.Anonymous)
        while top is not None and top.name.lower() != "bit_count":
            top = top.find_ancestor(exp.Anonymous)
        if top is None or top.find_ancestor(exp.Select) is None:
            raise TranslationError("enum_code() has no Spark equivalent (touchpoints are text).")
        (arg,) = node.expressions
        top.replace(exp.ArraySize(this=exp.ArrayUniqueAgg(this=arg.copy())))


def _bitstring_counts(tree: exp.Expression) -> None:
    """``bit_count(bitstring_agg(k))`` counts the distinct keys of a group as a bit set; Spark has
    no bit sets, so it becomes ``count(DISTINCT k)`` (both ignore NULL). A bit set used any other
    way is refused."""
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.lower() != "bitstring_agg":
            continue
        top = node.parent
        if not (isinstance(top, exp.Anonymous) and top.name.lower() == "bit_count"):
            raise TranslationError(
                "bitstring_agg() has no Spark equivalent but inside bit_count()."
            )
        if len(node.expressions) != 1:
            raise TranslationError("bitstring_agg() with bounds has no Spark equivalent.")
        top.replace(exp.Count(this=exp.Distinct(expressions=[node.expressions[0].copy()])))


def _enums_as_text(tree: exp.Expression) -> None:
    for dt in tree.find_all(exp.DataType):
        if dt.this == exp.DataType.Type.USERDEFINED:
            name = dt.args.get("kind") or dt.sql("duckdb")
            if str(name).lower().endswith(ENUM_SUFFIX):
                dt.replace(exp.DataType.build("text"))
            else:
                raise TranslationError(f"The type {name} is not known on Spark.")


def translate(sql: str, schema: Schema | None = None) -> str:
    """Translate one workbench query from DuckDB's SQL to Spark SQL.

    Parameters
    ----------
    sql
        The query text (``$name`` parameters become Spark's ``:name`` markers).
    schema
        Column names → DuckDB types of every view the query reads. Needed to expand
        ``* EXCLUDE``/``* REPLACE``/``COLUMNS()`` and to tell a list's ``len`` from text's.

    Raises
    ------
    TranslationError
        Where Spark would answer differently and no exact spelling is known.

    Examples
    --------
    >>> print(translate("select list(t order by step) as path, epoch(b - a) as d from s"))
    SELECT TRANSFORM(ARRAY_SORT(COLLECT_LIST(STRUCT(step AS k0, t AS v))), e -> e.v) AS path, \
((UNIX_MICROS(CAST(b AS TIMESTAMP)) - UNIX_MICROS(CAST(a AS TIMESTAMP))) / 1000000D) AS d FROM s
    """
    try:
        tree = sqlglot.parse_one(sql, read=DuckDBAsWritten)
    except sqlglot.errors.ParseError as exc:
        raise TranslationError(f"sqlglot cannot read this query: {exc}") from exc
    for t in _input_tables(tree):
        if not isinstance(t.this, exp.Identifier):
            raise TranslationError(
                f"{t.sql('duckdb')} reads a file or a table function; queries read views."
            )
    _code_sorted_lists(tree)
    _enums_as_text(tree)
    _enum_code_masks(tree)
    _bitstring_counts(tree)
    if schema is not None:
        _expand_columns(tree, schema)
    tree = _rewrite_unpivot(tree)
    if schema is not None:
        tree = qualify(
            tree,
            schema={k: dict(v) for k, v in schema.items()},
            dialect=DuckDBAsWritten,
            quote_identifiers=True,
            identify=False,
            validate_qualify_columns=False,
        )
        tree = annotate_types(tree, schema={k: dict(v) for k, v in schema.items()})
    _rewrite_asof(tree)
    try:
        return WorkbenchSpark().generate(tree, unsupported_level=sqlglot.ErrorLevel.RAISE)
    except sqlglot.errors.UnsupportedError as exc:
        raise TranslationError(str(exc)) from exc
