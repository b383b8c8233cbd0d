"""The only code that changes competitions, entries, panels, marks, results and promotions."""

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjia.members import changes
from gongjia.members.selectors import SkillLevel, is_active, member_of, members_by_id
from gongjia.platform import counters, events, parameters, scope
from gongjia.skills import marking, results
from gongjia.skills.events import (
    COMPETITION_REPORTED,
    ENTRY_REGISTERED,
    EVENT_REPORTED,
    JUDGE_SEATED,
    MARKS_SIGNED,
    RECHECK_DRAWN,
    RECHECK_RECORDED,
    TIE_DECIDED,
    UNLOCK_REQUESTED,
)
from gongjia.skills.models import (
    Aspect,
    Competition,
    Criterion,
    Entrant,
    Entry,
    Event,
    Judge,
    Mark,
    PanelSeat,
    Promotion,
    Recheck,
    Scheme,
    Score,
    Section,
    SubCriterion,
    Trade,
    Unlock,
)
from gongjia.skills.workflows import (
    appeal_workflow,
    competition_workflow,
    scheme_workflow,
    unlock_workflow,
)


def step(competition: Competition, name: str, *, acting_user, note: str = "", on=None):
    """A step of a competition (open, mark, close, publish, freeze, check a report, cancel)."""
    return competition_workflow.run(competition, name, acting_user=acting_user, note=note, on=on)


def scheme_step(scheme, name: str, *, acting_user, note: str = ""):
    return scheme_workflow.run(scheme, name, acting_user=acting_user, note=note)


# --- marking schemes ----------------------------------------------------------------------------


@transaction.atomic
def put_aspect(
    event: Event, *, section, criterion, sub, order: int, fields: dict, acting_user
) -> Aspect:
    """An aspect of the event's draft scheme, with the section (number, title, weighting),
    criterion (letter, title) and sub-criterion (code, title, marking day) it belongs to, each
    made or brought up to date; the aspect is the sub-criterion's `order`-th."""
    scope.require(acting_user, "change", event)
    scheme, _made = Scheme.objects.select_for_update().get_or_create(event=event)
    if scheme.status != Scheme.Status.DRAFT:
        raise ValidationError(
            _("The marking scheme is “%(s)s”: only a draft is changed.")
            % {"s": scheme.get_status_display()}
        )
    number, title, weight = section
    sec, _made = Section.objects.update_or_create(
        scheme=scheme, number=number, defaults={"title": title, "weight": weight}
    )
    letter, ctitle = criterion
    crit, _made = Criterion.objects.update_or_create(
        scheme=scheme, letter=letter, defaults={"title": ctitle}
    )
    code, stitle, day = sub
    subc, _made = SubCriterion.objects.update_or_create(
        criterion=crit, code=code, defaults={"title": stitle, "marking_day": day}
    )
    aspect = Aspect.objects.filter(sub=subc, order=order).first() or Aspect(sub=subc, order=order)
    for name, value in {**fields, "section": sec}.items():
        setattr(aspect, name, value)
    aspect.full_clean()
    aspect.save()
    return aspect


# --- guided competitions, reported ---------------------------------------------------------------

GUIDED = (Competition.Level.TOWN, Competition.Level.ENTERPRISE)


@transaction.atomic
def report_competition(
    *, name: str, level: str, organiser, starts_on, ends_on, acting_user, venue: str = ""
) -> Competition:
    """A competition a town, street or enterprise ran under the district's guidance, reported
    to the federation: its events and participants follow (`report_event`), its evidence is
    attached, and the town federation checks the report (the step `check_report`)."""
    if level not in GUIDED:
        raise ValidationError(
            {"level": _("Only town, street and enterprise competitions are reported.")}
        )
    scope.require(acting_user, "add", organiser, model=Competition)
    competition = Competition(
        name=name,
        level=level,
        organiser=organiser,
        year=starts_on.year,
        starts_on=starts_on,
        ends_on=ends_on,
        venue=venue,
        status=Competition.Status.REPORTED,
        reported=True,
    )
    competition.full_clean()
    competition.save()
    events.record(COMPETITION_REPORTED, actor=acting_user, obj=competition)
    return competition


@transaction.atomic
def report_event(competition: Competition, trade: Trade, participants: int, *, acting_user):
    """An event of a reported competition with the number of people who took part in it."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if not competition.reported or competition.status != Competition.Status.REPORTED:
        raise ValidationError(
            _("Events are added to a report until it is checked: “%(c)s” is “%(s)s”.")
            % {"c": competition.name, "s": competition.get_status_display()}
        )
    scope.require(acting_user, "change", competition)
    if participants is None or participants < 1:
        raise ValidationError({"participants": _("Give at least one participant.")})
    if competition.events.filter(trade=trade).exists():
        raise ValidationError(
            {"trade": _("“%(t)s” is already in this report.") % {"t": trade.name}}
        )
    event = Event.objects.create(
        competition=competition, trade=trade, participants_reported=participants
    )
    events.record(
        EVENT_REPORTED,
        actor=acting_user,
        obj=competition,
        data={"trade": trade.name, "participants": participants},
    )
    return event


# --- entries -----------------------------------------------------------------------------------


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def eligibility_problems(event: Event, member) -> list[str]:
    """Why a member may not enter the event under its eligibility rules (as data)."""
    rules = event.eligibility or {}
    on = event.competition.starts_on
    out = []
    if rules.get("union_member", True) and not is_active(member):
        out.append(_("%(m)s is not an active union member.") % {"m": member.name})
    age = _age(member.birth_date, on)
    if rules.get("min_age") is not None and age < rules["min_age"]:
        out.append(
            _("%(m)s is %(a)d on the first day; the event is for %(n)d and over.")
            % {"m": member.name, "a": age, "n": rules["min_age"]}
        )
    if rules.get("max_age") is not None and age > rules["max_age"]:
        out.append(
            _("%(m)s is %(a)d on the first day; the event is for %(n)d and under.")
            % {"m": member.name, "a": age, "n": rules["max_age"]}
        )
    level = member.skill_level
    if rules.get("min_level") is not None and level < rules["min_level"]:
        out.append(
            _("%(m)s holds %(l)s; the event asks for %(n)s or higher.")
            % {
                "m": member.name,
                "l": SkillLevel(level).label,
                "n": SkillLevel(rules["min_level"]).label,
            }
        )
    if rules.get("max_level") is not None and level > rules["max_level"]:
        out.append(
            _("%(m)s holds %(l)s; the event is for %(n)s or lower.")
            % {
                "m": member.name,
                "l": SkillLevel(level).label,
                "n": SkillLevel(rules["max_level"]).label,
            }
        )
    if rules.get("employer_in_district") and member.employer_id is None:
        out.append(_("%(m)s has no employer in the district on record.") % {"m": member.name})
    return out


def register_entry(
    event: Event, member_ids: list[int], *, acting_user, team_name: str = "", theory=None
) -> Entry:
    """A unit enters a member (or a team of three) in an event open for registration."""
    return _register(event, member_ids, acting_user, team_name, theory, by_unit=True)


def enter_myself(event: Event, *, acting_user) -> Entry:
    """A worker enters an individual event in the portal: an active member, of a union under
    the competition's organiser, meeting the event's eligibility like any entrant."""
    member = member_of(acting_user, active=True)
    if member is None:
        raise ValidationError(_("Competitions are for union members: join your union first."))
    if event.team_size != 1:
        raise ValidationError(_("Teams are registered by their union."))
    organiser = event.competition.organiser
    if not member.union.path.startswith(organiser.path):
        raise ValidationError(
            _("This competition is for the workers of %(o)s.") % {"o": organiser.name}
        )
    return _register(event, [member.pk], acting_user, "", None, by_unit=False)


@transaction.atomic
def _register(event, member_ids, acting_user, team_name, theory, *, by_unit: bool) -> Entry:
    event = Event.objects.select_for_update().select_related("competition").get(pk=event.pk)
    competition = event.competition
    if competition.status != Competition.Status.REGISTRATION:
        raise ValidationError(
            _("“%(c)s” is not open for registration (it is “%(s)s”).")
            % {"c": competition.name, "s": competition.get_status_display()}
        )
    if len(member_ids) != event.team_size or len(set(member_ids)) != len(member_ids):
        raise ValidationError(
            {
                "members": _("An entry in this event is %(n)d different people.")
                % {"n": event.team_size}
            }
        )
    found = members_by_id(member_ids)
    if len(found) != len(member_ids):
        raise ValidationError({"members": _("Choose members of the register.")})
    members = [found[i] for i in member_ids]
    if by_unit:  # a worker entering themselves was checked to be the member (enter_myself)
        for m in members:
            scope.require(acting_user, "view", m)
    problems = [p for m in members for p in eligibility_problems(event, m)]
    if problems:
        raise ValidationError({"members": problems})
    union = members[0].union
    if by_unit:
        scope.require(acting_user, "add", union, model=Entry)
    entry = Entry(
        event=event,
        number=counters.allocate(f"skills.entry.{event.pk}", 1)[0],
        team_name=team_name,
        enterprise_id=members[0].employer_id,
        union=union,
        theory=theory,
    )
    entry.save()
    try:
        with transaction.atomic():
            Entrant.objects.bulk_create(
                [Entrant(entry=entry, member=m, event=event) for m in members]
            )
    except IntegrityError:
        raise ValidationError(
            {"members": _("One of them is already entered in this event.")}
        ) from None
    events.record(ENTRY_REGISTERED, actor=acting_user, obj=entry, data={"members": member_ids})
    return entry


# --- judges --------------------------------------------------------------------------------------


def conflict(judge: Judge, entry: Entry, competition: Competition) -> str | None:
    """Why the judge may not mark the entry (their own enterprise; under the wider rule, an
    enterprise of their own enterprise's town or street), or None."""
    if entry.enterprise_id is None:
        return None
    own = {e.pk: e for e in judge.affiliations.all()}
    if entry.enterprise_id in own:
        return _("%(j)s is affiliated with %(e)s, the entrant's enterprise.") % {
            "j": judge.name,
            "e": own[entry.enterprise_id].name,
        }
    if competition.conflict_rule == Competition.Conflict.UNION:
        towns = {e.federation_id for e in own.values() if e.federation_id}
        if entry.enterprise.federation_id in towns:
            return _("%(j)s is affiliated with an enterprise of the entrant's town or street.") % {
                "j": judge.name
            }
    return None


@transaction.atomic
def seat_judge(event: Event, judge: Judge, *, acting_user, chief: bool = False) -> PanelSeat:
    scope.require(acting_user, "change", event)
    if event.competition.status not in (
        Competition.Status.PLANNED,
        Competition.Status.REGISTRATION,
    ):
        raise ValidationError(_("Panels are set before marking opens."))
    seat, created = PanelSeat.objects.get_or_create(
        event=event, judge=judge, defaults={"chief": chief}
    )
    if not created and seat.chief != chief:
        seat.chief = chief
        seat.save(update_fields=["chief"])
    events.record(
        JUDGE_SEATED, actor=acting_user, obj=event, data={"judge": judge.pk, "chief": chief}
    )
    return seat


def judge_of(acting_user, event: Event) -> Judge:
    """The judge the acting person is, seated on this event's panel (with their declared
    affiliations, which the conflict rule reads), or PermissionDenied."""
    judges = Judge.objects.filter(user=acting_user).prefetch_related("affiliations")
    judge = judges.first() if scope.person(acting_user) else None
    if judge is None or not PanelSeat.objects.filter(event=event, judge=judge).exists():
        raise PermissionDenied(_("Only a judge of this event's panel marks it."))
    return judge


# --- marks ---------------------------------------------------------------------------------------


def _needed(aspect: Aspect) -> int:
    return marking.PANEL if aspect.kind == Aspect.Kind.JUDGEMENT else 1


def _valid_score(aspect: Aspect, value):
    """The score as kept, or a ValidationError naming what to enter."""
    if aspect.kind == Aspect.Kind.JUDGEMENT:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
            raise ValidationError({"value": _("A judgement score is a whole number from 0 to 3.")})
        return value
    try:
        marking.measurement(aspect.max_mark, aspect.calculation, aspect.params, value)
    except (marking.MarkingError, TypeError, ValueError, KeyError) as e:
        message = str(e) if isinstance(e, marking.MarkingError) else _("Enter what was measured.")
        raise ValidationError({"value": message}) from None
    return value


def enter_score(
    entry: Entry,
    aspect: Aspect,
    value,
    *,
    acting_user,
    typed_at: dt.datetime | None = None,
    client_key: str = "",
) -> Mark:
    """A judge's score of an aspect for an entry. When the panel has scored (three judges for a
    judgement, the measuring judge for a measurement) the mark is computed; three judgement
    scores further apart than the rule allows are kept but make no mark: the judges score
    again. The same score sent twice (a phone that was offline sends again) is taken once."""
    event = Event.objects.select_related("competition").get(pk=entry.event_id)  # as it is now
    judge = judge_of(acting_user, event)
    competition = event.competition
    if competition.status != Competition.Status.MARKING:
        raise ValidationError(_("Marking is not open for this competition."))
    if aspect.sub.criterion.scheme.event_id != event.pk:
        raise ValidationError({"aspect": _("This aspect is not in the event's marking scheme.")})
    if entry.status != Entry.Status.REGISTERED:
        raise ValidationError(_("This entry has withdrawn."))
    if reason := conflict(judge, entry, competition):
        raise PermissionDenied(reason)
    value = _valid_score(aspect, value)
    with transaction.atomic():
        mark, _created = Mark.objects.get_or_create(entry=entry, aspect=aspect)
        mark = Mark.objects.select_for_update().get(pk=mark.pk)  # one panel member at a time
        if mark.status in (Mark.Status.SIGNED, Mark.Status.LOCKED):
            raise ValidationError(
                _("This mark is %(s)s: it can no longer be changed.")
                % {"s": mark.get_status_display()}
            )
        mine = Score.objects.filter(mark=mark, judge=judge).first()
        if mine and client_key and mine.client_key == client_key:
            return mark  # sent again after a lost answer
        others = Score.objects.filter(mark=mark).exclude(judge=judge).count()
        if mine is None and others >= _needed(aspect):
            raise ValidationError(_("The panel of this aspect has already scored it."))
        now = timezone.now()
        if mine is None:
            Score.objects.create(
                mark=mark,
                judge=judge,
                value=float(value),
                saved_at=now,
                typed_at=typed_at,
                client_key=client_key,
            )
        else:
            # A changed score changes the mark: signatures given to the old one do not stand.
            mark.signed_by.clear()
            mine.value, mine.saved_at, mine.typed_at = float(value), now, typed_at
            mine.client_key = client_key
            mine.round += 1
            mine.save(update_fields=["value", "saved_at", "typed_at", "client_key", "round"])
        _settle(mark, aspect)
    return mark


def _settle(mark: Mark, aspect: Aspect) -> None:
    """Compute the mark once its panel has scored, or ask for scoring again."""
    stored = Score.objects.filter(mark=mark).values_list("value", flat=True)
    scores = [results.read_score(aspect, v) for v in stored]
    if len(scores) < _needed(aspect):
        mark.status, mark.rescore, mark.numerator, mark.denominator = (
            Mark.Status.PENDING,
            False,
            None,
            None,
        )
    elif aspect.kind == Aspect.Kind.JUDGEMENT:
        limit = parameters.value("skills.judgement_spread_limit")
        try:
            marking.check_scores(scores, aspect.aggregation, limit)
        except marking.MarkingError:
            mark.status, mark.rescore, mark.numerator, mark.denominator = (
                Mark.Status.PENDING,
                True,
                None,
                None,
            )
        else:
            value = marking.judgement(aspect.max_mark, scores, aspect.aggregation)
            mark.status, mark.rescore = Mark.Status.ENTERED, False
            mark.numerator, mark.denominator = value.numerator, value.denominator
    else:
        value = marking.measurement(aspect.max_mark, aspect.calculation, aspect.params, scores[0])
        mark.status, mark.rescore = Mark.Status.ENTERED, False
        mark.numerator, mark.denominator = value.numerator, value.denominator
    mark.save(update_fields=["status", "rescore", "numerator", "denominator", "updated_at"])


def spread_message(mark: Mark) -> str:
    """What the judges are told when their scores are too far apart."""
    stored = Score.objects.filter(mark=mark).values_list("value", flat=True)
    scores = [results.read_score(mark.aspect, v) for v in stored]
    try:
        marking.check_scores(
            scores, mark.aspect.aggregation, parameters.value("skills.judgement_spread_limit")
        )
    except marking.MarkingError as e:
        return str(e)
    return ""


@transaction.atomic
def sign(entry: Entry, *, acting_user) -> int:
    """The judge signs every entered mark of the entry they scored; a mark is signed once every
    judge who scored it has signed. Gives the number of marks now signed."""
    judge = judge_of(acting_user, entry.event)
    mine = list(
        Mark.objects.select_for_update()
        .filter(entry=entry, status=Mark.Status.ENTERED, scores__judge=judge)
        .exclude(signed_by=judge)
    )
    Mark.signed_by.through.objects.bulk_create(
        [Mark.signed_by.through(mark_id=m.pk, judge_id=judge.pk) for m in mine]
    )
    done = [
        m.pk
        for m in Mark.objects.filter(pk__in=[m.pk for m in mine]).prefetch_related(
            "scores", "signed_by"
        )
        if {s.judge_id for s in m.scores.all()} <= {j.pk for j in m.signed_by.all()}
    ]
    Mark.objects.filter(pk__in=done).update(status=Mark.Status.SIGNED)
    events.record(
        MARKS_SIGNED, actor=acting_user, obj=entry, data={"judge": judge.pk, "marks": len(mine)}
    )
    return len(done)


@transaction.atomic
def request_unlock(mark: Mark, reason: str, *, acting_user) -> Unlock:
    """Ask to unlock a locked mark: a privileged role with a stated reason; a second person
    approves it (`unlock_workflow`)."""
    if scope.person(acting_user) is None:
        raise PermissionDenied(_("A person asks for a mark to be unlocked, and says why."))
    scope.require(acting_user, "approve", mark)
    if mark.status != Mark.Status.LOCKED:
        raise ValidationError(_("Only a locked mark is unlocked."))
    if not reason.strip():
        raise ValidationError({"reason": _("Please give a reason for this step.")})
    if mark.unlocks.filter(status=Unlock.Status.REQUESTED).exists():
        raise ValidationError(_("An unlocking of this mark is already waiting for approval."))
    unlock = Unlock.objects.create(mark=mark, reason=reason.strip(), requested_by=acting_user)
    events.record(
        UNLOCK_REQUESTED,
        actor=acting_user,
        obj=mark.entry,
        data={"mark": mark.pk, "reason": reason},
    )
    return unlock


def decide_unlock(unlock: Unlock, name: str, *, acting_user, note: str = "") -> Unlock:
    return unlock_workflow.run(unlock, name, acting_user=acting_user, note=note)


# --- rechecks, ties, appeals, promotions ---------------------------------------------------------


@transaction.atomic
def draw_recheck(event: Event, *, acting_user) -> Recheck:
    """Draw what is rechecked: the top results and a share of the rest (the seed is kept)."""
    scope.require(acting_user, "change", event)
    if event.competition.status != Competition.Status.REVIEW:
        raise ValidationError(_("Results are rechecked once marking is closed."))
    on = event.competition.starts_on
    ranked = list(event.entries.filter(status=Entry.Status.REGISTERED).order_by("rank", "number"))
    seed = secrets.token_hex(8)
    chosen = marking.recheck_sample(
        [e.pk for e in ranked],
        parameters.value("skills.recheck_top", on=on),
        parameters.value("skills.recheck_share", on=on),
        seed,
    )
    recheck, _created = Recheck.objects.update_or_create(
        event=event, defaults={"seed": seed, "checked": 0, "wrong": 0, "everything": False}
    )
    recheck.entries.set(chosen)
    events.record(
        RECHECK_DRAWN, actor=acting_user, obj=event, data={"entries": len(chosen), "seed": seed}
    )
    return recheck


@transaction.atomic
def record_recheck(recheck: Recheck, *, checked: int, wrong: int, acting_user) -> Recheck:
    """What the recheck found: if too many were wrong, everything is to be rechecked."""
    scope.require(acting_user, "change", recheck)
    if not 0 <= wrong <= checked:
        raise ValidationError(
            {"wrong": _("The number found wrong is at most the number rechecked.")}
        )
    limit = parameters.value("skills.recheck_error_limit", on=recheck.event.competition.starts_on)
    recheck.checked, recheck.wrong = checked, wrong
    recheck.everything = recheck.everything or marking.recheck_everything(checked, wrong, limit)
    if recheck.everything:
        recheck.entries.set(recheck.event.entries.filter(status=Entry.Status.REGISTERED))
    recheck.save(update_fields=["checked", "wrong", "everything"])
    events.record(
        RECHECK_RECORDED,
        actor=acting_user,
        obj=recheck.event,
        data={"checked": checked, "wrong": wrong},
    )
    return recheck


@transaction.atomic
def confirm_recheck(recheck: Recheck, *, acting_user) -> Recheck:
    """The chief referee confirms the recheck (each judge has signed the marks)."""
    judge = judge_of(acting_user, recheck.event)
    if not PanelSeat.objects.filter(event=recheck.event, judge=judge, chief=True).exists():
        raise PermissionDenied(_("The chief referee confirms the recheck."))
    needed = recheck.entries.count()
    if recheck.checked < needed:
        raise ValidationError(
            _("%(c)d of the %(n)d results to recheck are rechecked.")
            % {"c": recheck.checked, "n": needed}
        )
    recheck.confirmed_by = judge
    recheck.save(update_fields=["confirmed_by"])
    return recheck


@transaction.atomic
def decide_tie(entries: list[Entry], *, acting_user) -> list[Entry]:
    """The jury's order of entries tied on every tie-break (where shared ranks are not
    allowed): best first. The results are computed again with it."""
    order = {e.pk: i for i, e in enumerate(entries)}
    entries = list(Entry.objects.select_for_update().filter(pk__in=list(order)))
    if not entries:
        raise ValidationError(_("Choose the tied entries, best first."))
    event = entries[0].event
    competition = event.competition
    if scope.person(acting_user) and not competition.on_jury(acting_user):
        raise PermissionDenied(_("Only a member of the competition's jury decides a tie."))
    if competition.status != Competition.Status.REVIEW:
        raise ValidationError(_("Ties are decided while the results are before the jury."))
    if len({(e.event_id, e.rank) for e in entries}) != 1 or not all(e.tied for e in entries):
        raise ValidationError(_("Choose entries of one event tied with each other."))
    for e in entries:
        e.jury_place = order[e.pk] + 1
    Entry.objects.bulk_update(entries, ["jury_place"])
    results.apply(event, acting_user=acting_user)
    for e in entries:
        events.record(TIE_DECIDED, actor=acting_user, obj=e, data={"place": e.jury_place})
    return entries


def decide_appeal(appeal, name: str, *, acting_user, note: str) -> object:
    return appeal_workflow.run(appeal, name, acting_user=acting_user, note=note)


@transaction.atomic
def lodge_appeal(entry: Entry, grounds: str, *, acting_user, on: dt.date | None = None):
    from gongjia.skills.models import Appeal

    on = on or timezone.localdate()
    person = scope.person(acting_user)
    own = person is not None and Entrant.objects.filter(entry=entry, member__user=person).exists()
    if not own:  # an entrant appeals against their own result; anyone else within scope
        scope.require(acting_user, "view", entry)
    competition = entry.event.competition
    if competition.status != Competition.Status.PUBLISHED or (
        competition.appeals_until and on > competition.appeals_until
    ):
        raise ValidationError(_("Appeals are lodged while the published results are open to them."))
    if not grounds.strip():
        raise ValidationError({"grounds": _("Say what the appeal is against.")})
    return Appeal.objects.create(entry=entry, grounds=grounds.strip(), lodged_on=on)


def promotion_rules(competition: Competition) -> list[dict]:
    return competition.promotion_rules or parameters.value(
        "skills.default_promotions", on=competition.starts_on
    )


@transaction.atomic
def promote(event: Event, *, acting_user, on: dt.date | None = None) -> list[Promotion]:
    """Raise the skill level of the members placed where the rules promote (top 5 to 技师 or
    one level up, 6th–20th to 高级工 …), never above the cap; once per entry and member. The
    member's timeline keeps the result it came from."""
    competition = Competition.objects.get(pk=event.competition_id)  # as it stands now
    scope.require(acting_user, "approve", competition)
    if competition.status != Competition.Status.FROZEN:
        raise ValidationError(_("Levels are raised once the results are final."))
    on = on or timezone.localdate()
    cap = parameters.value("skills.promotion_cap", on=on)
    rules = promotion_rules(competition)
    made = []
    entries = list(
        event.entries.filter(status=Entry.Status.REGISTERED, rank__isnull=False).prefetch_related(
            "entrants"
        )
    )
    members = members_by_id(e.member_id for entry in entries for e in entry.entrants.all())
    for entry in entries:
        rule = next((r for r in rules if r["first"] <= entry.rank <= r["last"]), None)
        if rule is None:
            continue
        for entrant in entry.entrants.all():
            member = members[entrant.member_id]
            level = marking.promoted(member.skill_level, rule["to"], cap)
            if (
                level <= member.skill_level
                or Promotion.objects.filter(entry=entry, member_id=member.pk).exists()
            ):
                continue
            before = changes.raise_skill_level(
                member.pk,
                level,
                acting_user=acting_user,
                source=str(competition),
                data={"entry": entry.pk, "rank": entry.rank},
            )
            made.append(
                Promotion.objects.create(
                    entry=entry, member_id=member.pk, from_level=before, to_level=level, on=on
                )
            )
    return made
