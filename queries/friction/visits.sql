-- visits: every step with what the friction signals need.
-- grain:  one row per step
-- input:  steps, signal_events (row_no, wait_seconds, transferred, resolved, abandoned,
--         handled), journey_outcomes
-- params: $repeat_seconds     a contact followed by another within this many seconds is a
--                             repeat contact
--         $long_wait_seconds  a wait longer than this is a long wait
--         $self_service       channels customers serve themselves in (e.g. web, app)
--         $assisted           channels where a person serves them (e.g. phone, chat, store)
--         $has_transfer_steps some touchpoints are transfer steps (a transfer, an escalation,
--                             a second line)
--         $transfer_steps     those touchpoints
--         $contacts           the channels (or touchpoints) that count as contacts
--         $contacts_by_channel  whether $contacts names channels (else touchpoints)
--         $successes          touchpoints whose names say success: never a contact
-- A contact is a step in a contact channel (workbench.analyses.contacts), or at a contact
-- touchpoint when the log has no channel, that is no success and, where the log says who
-- handled steps, that someone handled. Transferred contacts are judged by the transfer signal,
-- so they are not counted for unresolved or repeat contacts. A channel switch is a self-service step whose
-- next step in a self-service or assisted channel (IVR, e-mail and SMS steps are passed over)
-- is assisted: app -> IVR -> phone counts; a self-service step with no such step after it did
-- not switch. A contact is transferred when its transfer column says so or its next step is a
-- transfer step; a transfer step itself is not judged for a transfer again.
with

steps_in as (
    select
        journey_key, customer_key, step, touchpoint, channel, ts, row_no, next_touchpoint,
        next_channel
    from steps
),

signals_in as (
    select
        *,
        list_contains(
            $contacts,
            cast(case when $contacts_by_channel then channel else touchpoint end as varchar)
        )
        and not list_contains($successes, cast(touchpoint as varchar))
        and coalesce(handled, true) as is_contact
    from signal_events
),

signalled as (
    -- the event's signals joined to its step before the window, which then carries them
    select
        s.*,
        e.wait_seconds,
        e.transferred,
        e.resolved,
        e.abandoned,
        e.is_contact
    from steps_in as s
    inner join signals_in as e on s.row_no = e.row_no
),

classed as (
    select
        *,
        case
            when list_contains($self_service, cast(channel as varchar)) then 'self-service'
            when list_contains($assisted, cast(channel as varchar)) then 'assisted'
        end as channel_class
    from signalled
),

served as (
    select
        *,
        lead(channel_class ignore nulls) over (partition by journey_key order by step)
            as next_class
    from classed
),

joined as (
    select
        s.*,
        o.reached_goal
    from served as s
    inner join journey_outcomes as o on s.journey_key = o.journey_key
),

flagged as (
    select
        * replace (
            case
                when $has_transfer_steps
                    and list_contains($transfer_steps, cast(touchpoint as varchar))
                    then transferred
                when $has_transfer_steps and is_contact
                    then coalesce(transferred, false)
                    or coalesce(list_contains($transfer_steps, cast(next_touchpoint as varchar)), false)
                else transferred
            end as transferred
        )
    from joined
),

contacts as (
    -- read from the events' own columns, not from the steps joined above, so that those are
    -- read once (a second reader would make DuckDB write them all out first)
    select
        row_no,
        epoch(lead(ts) over (partition by customer_key order by ts, row_no) - ts)
            as seconds_to_next_contact
    from signals_in
    where is_contact
),

final as (
    select
        j.journey_key,
        j.customer_key,
        j.row_no,
        j.step,
        j.touchpoint,
        j.channel,
        j.next_touchpoint,
        j.ts,
        j.is_contact,
        date_trunc('week', j.ts) as week,
        j.next_touchpoint is null and not j.reached_goal as dropped,
        j.wait_seconds,
        j.wait_seconds > $long_wait_seconds as long_wait,
        j.transferred,
        case when not coalesce(j.transferred, false) then not j.resolved end as unresolved,
        j.abandoned,
        case
            when j.is_contact and not coalesce(j.transferred, false)
                then coalesce(c.seconds_to_next_contact <= $repeat_seconds, false)
        end as repeat_contact,
        case
            when j.channel_class = 'self-service' then coalesce(j.next_class = 'assisted', false)
        end as switched
    from flagged as j
    left join contacts as c on j.row_no = c.row_no
)

select * from final
