"""Two Rasa servers and two action servers behind nginx (scripts/run-cluster.sh), PostgreSQL tracker store and
Redis lock store: one conversation served in turn by different servers gives exactly the answers of a single
server, every event stored once and in order; WeChat retries landing on the other server start no second turn;
Ctrl-C stops everything."""

import concurrent.futures
import json
import socket
import threading
import time
import uuid

import pytest

from bot.channels import wechat_sim as sim
from tests.production.conftest import BUSY, CLUSTER_APP, FLOW, SLOW_APP, post_rest, user_texts


def new_id(prefix="c"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def stored_events(postgres_server, sender):
    """What PostgreSQL holds for the conversation, in insertion order."""
    rows = postgres_server.query("SELECT type_name, data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
    return [(t, json.loads(d)) for t, d in rows]


def assert_stored_once_in_order(postgres_server, sender, texts, replies):
    events = stored_events(postgres_server, sender)
    assert [d.get("text") for t, d in events if t == "user"] == texts
    bots = [d.get("text") for t, d in events if t == "bot"]
    assert "\n".join(bots) == "\n".join(replies)  # every reply stored once, in order
    # no turn interleaved with another: after each user message, its bot replies come before the next one
    kinds = [t for t, _ in events]
    for i, kind in enumerate(kinds):
        if kind == "user" and i:
            assert "action" in kinds[:i] and kinds[i - 1] == "action", kinds  # action_listen came first


@pytest.mark.parametrize("order", ["AB", "BA"])
def test_turns_alternating_between_the_two_servers_give_the_single_server_answers(
    cluster, postgres_server, reference, order
):
    a, b = cluster.servers if order == "AB" else cluster.servers[::-1]
    sender = new_id()
    answers = [post_rest((a, b)[i % 2], sender, text) for i, text in enumerate(FLOW)]
    assert answers == reference
    assert "高龄津贴：30元/月" in answers[-1] and "100元/月" in answers[-1]
    assert_stored_once_in_order(postgres_server, sender, FLOW, answers)


def test_through_nginx_the_answers_are_the_single_server_answers(cluster, postgres_server, reference):
    sender = new_id()
    answers = [post_rest(cluster.nginx, sender, text) for text in FLOW]
    assert answers == reference
    assert_stored_once_in_order(postgres_server, sender, FLOW, answers)
    # nginx spread the turns: both servers served this test's requests
    log = (cluster.run_dir / "nginx-access.log").read_text()
    assert log.count("POST /webhooks/rest/webhook") >= len(FLOW)


def test_rasa_api_is_not_exposed_through_nginx(cluster):
    with pytest.raises(Exception) as e:
        json.load(__import__("urllib.request").request.urlopen(f"{cluster.nginx}/conversations/x/tracker", timeout=5))
    assert getattr(e.value, "code", None) == 404


def test_many_conversations_at_once_each_served_by_both_servers(cluster, postgres_server, reference):
    targets = cluster.servers + [cluster.nginx]

    def conversation(i):
        sender = new_id(f"many{i}")
        return sender, [post_rest(targets[(i + step) % len(targets)], sender, text) for step, text in enumerate(FLOW)]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(conversation, range(16)))
    for sender, answers in results:
        assert answers == reference, sender
        assert_stored_once_in_order(postgres_server, sender, FLOW, answers)


def test_two_messages_of_one_conversation_at_once_on_two_servers_take_turns(cluster, postgres_server):
    """The Redis lock store: the second waits for the first (whichever server got it), none is lost and the
    turns do not interleave in the stored conversation."""
    for _ in range(3):  # the waiting turn polls the lock every second (Rasa's wait_time_in_seconds)
        sender = new_id("race")
        post_rest(cluster.servers[0], sender, "我父亲能领什么补贴？")
        barrier = threading.Barrier(2)

        def send(server_and_text):
            barrier.wait()
            return post_rest(*server_and_text)

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            replies = list(pool.map(send, [(cluster.servers[0], sender, "枣庄"), (cluster.servers[1], sender, "85")]))
        assert all(r and r != BUSY for r in replies)
        events = stored_events(postgres_server, sender)
        texts = [d.get("text") for t, d in events if t == "user"]
        assert texts[0] == "我父亲能领什么补贴？" and sorted(texts[1:]) == ["85", "枣庄"]
        kinds = [t for t, _ in events]
        users = [i for i, k in enumerate(kinds) if k == "user"]
        for first, second in zip(users, users[1:]):
            assert "bot" in kinds[first:second], kinds  # each turn answered before the next began
        # whichever came second, the planner then asks the last missing fact
        assert post_rest(cluster.nginx, sender, "低保").startswith("您父亲（枣庄，85周岁，低保）")


# ------------------------------------------------------------------------------------------------ WeChat


def wechat_url(server, channel="wechat"):
    return f"{server}/webhooks/{channel}/webhook"


def post_same_message(urls, token, openid, text, msg_id):
    """The same MsgId to each URL at once, each freshly signed, as WeChat's retries are."""
    xml = sim.text_message_xml(openid, text, msg_id=msg_id)
    barrier = threading.Barrier(len(urls))

    def post(url):
        barrier.wait()
        return sim.post(url, xml, sim.signed_query(token, openid=openid))

    with concurrent.futures.ThreadPoolExecutor(len(urls)) as pool:
        return list(pool.map(post, urls))


def test_a_wechat_message_and_its_retry_on_the_other_server_are_one_turn(cluster, fake_wechat):
    _, _, token = CLUSTER_APP
    openid = "o" + uuid.uuid4().hex[:27]
    a, b = cluster.servers
    results = post_same_message(
        [wechat_url(a), wechat_url(b), wechat_url(a)], token, openid, "枣庄高龄津贴多少钱", str(int(time.time() * 1000))
    )
    assert {status for status, _ in results} == {200}
    contents = {sim.reply_content(reply) for _, reply in results}
    assert len(contents) == 1 and "30元/月" in contents.pop()  # each server resends the same passive reply
    assert user_texts(cluster.tracker(openid)) == ["枣庄高龄津贴多少钱"]
    time.sleep(0.5)
    assert fake_wechat.messages_to(openid) == []  # answered passively: nothing through the API


def test_a_late_retry_on_the_other_server_gets_the_same_passive_reply(cluster):
    _, _, token = CLUSTER_APP
    openid = "o" + uuid.uuid4().hex[:27]
    a, b = cluster.servers
    xml = sim.text_message_xml(openid, "你好", msg_id=str(int(time.time() * 1000)))
    first = sim.post(wechat_url(a), xml, sim.signed_query(token, openid=openid))
    retry = sim.post(wechat_url(b), xml, sim.signed_query(token, openid=openid))
    assert first[0] == retry[0] == 200
    assert sim.reply_content(first[1]) == sim.reply_content(retry[1]) and "养老政策助手" in sim.reply_content(retry[1])
    assert user_texts(cluster.tracker(openid)) == ["你好"]


def test_a_slow_wechat_answer_goes_out_once_whichever_server_the_retries_reach(cluster, fake_wechat):
    _, _, token = SLOW_APP
    app_id = SLOW_APP[0]
    openid = "o" + uuid.uuid4().hex[:27]
    a, b = cluster.servers
    results = post_same_message(
        [wechat_url(s, "wechat_slow") for s in (a, b, a, b)],
        token,
        openid,
        "枣庄高龄津贴多少钱",
        str(int(time.time() * 1000)),
    )
    assert results == [(200, "success")] * 4
    sent = fake_wechat.wait_for(openid, 1, settle=2.0)
    assert len(sent) == 1 and "30元/月" in sent[0]
    assert user_texts(cluster.tracker(openid)) == ["枣庄高龄津贴多少钱"]
    # both servers sent through one shared access token
    more = "o" + uuid.uuid4().hex[:27]
    for server in (a, b, a):
        assert sim.send_text(server, token, "你好", openid=more, channel="wechat_slow") == (200, "success")
    fake_wechat.wait_for(more, 3, settle=1.0)
    assert fake_wechat.token_requests[app_id] == 1


# ------------------------------------------------------------------------------------------------ stores restart


class Load:
    """Clients running FLOW over and over through nginx and both servers, each turn sent again (as a person
    would) while the answer is 系统繁忙. Bounded: stops starting new conversations at `stop()`."""

    def __init__(self, cluster, clients=4):
        self.targets = cluster.servers + [cluster.nginx]
        self.clients, self.done = clients, threading.Event()
        self.conversations, self.busy, self.errors, self.slowest = [], 0, [], 0.0
        self.lock = threading.Lock()
        self.pool = concurrent.futures.ThreadPoolExecutor(clients)
        self.futures = []

    def _turn(self, i, step, sender, text):
        for attempt in range(200):  # ≤ 200 × 0.1 s: far longer than any outage here
            started = time.time()
            try:
                reply = post_rest(self.targets[(i + step + attempt) % len(self.targets)], sender, text, timeout=10)
            except Exception as exc:  # nginx refused, a server went away: a person would also try again
                with self.lock:
                    self.errors.append(f"{type(exc).__name__}: {exc}")
                reply = None
            with self.lock:
                self.slowest = max(self.slowest, time.time() - started)
            if reply and reply != BUSY:
                return reply
            if reply == BUSY:
                with self.lock:
                    self.busy += 1
            time.sleep(0.1)
        raise AssertionError(f"{sender}: no answer to {text!r}")

    def _client(self, i):
        while not self.done.is_set():
            sender = new_id(f"load{i}")
            answers = [self._turn(i, step, sender, text) for step, text in enumerate(FLOW)]
            with self.lock:
                self.conversations.append((sender, answers))

    def start(self):
        self.futures = [self.pool.submit(self._client, i) for i in range(self.clients)]
        return self

    def stop(self):
        self.done.set()
        for f in self.futures:
            f.result(timeout=120)
        self.pool.shutdown()


def check_load(load, postgres_server, reference):
    assert load.conversations, "no conversation finished"
    for sender, answers in load.conversations:
        assert answers == reference, sender  # nothing forgotten: the profile was carried across the outage
        assert_stored_once_in_order(postgres_server, sender, FLOW, answers)  # nothing lost, nothing twice


@pytest.mark.parametrize("store", ["redis", "postgresql"])
def test_a_store_restart_under_load_loses_and_duplicates_nothing(
    cluster, redis_server, postgres_server, reference, store
):
    """While the store is down every turn is answered 系统繁忙 at once (a clear error) and stored nowhere; once
    it is back the same message gets its answer, so every conversation ends with the single server's answers
    and PostgreSQL holds each turn exactly once, in order."""
    service = redis_server if store == "redis" else postgres_server
    load = Load(cluster).start()
    try:
        time.sleep(1.5)
        service.stop()
        time.sleep(1.5)  # down: every turn meanwhile is refused with the busy reply
        service.start()
        time.sleep(2.0)  # back: the clients resend and go on
    finally:
        load.stop()
    assert load.busy > 0, "the outage was not seen by any client"
    assert load.slowest < 5.0  # a clear answer within seconds, up or down
    check_load(load, postgres_server, reference)
    assert not load.errors, load.errors[:5]
    # afterwards every server serves as before
    sender = new_id()
    assert [post_rest((cluster.servers + [cluster.nginx])[i % 3], sender, t) for i, t in enumerate(FLOW)] == reference


# ------------------------------------------------------------------------------------------------ no action server


def test_with_the_actions_inside_the_rasa_servers_the_answers_are_the_same(
    cluster_in_process, postgres_server, reference
):
    """ACTION_SERVERS=0 (ACTIONS_MODULE=actions): no action server runs, and the answers through nginx, alternating
    between both servers, are the single server's, stored once in order."""
    c = cluster_in_process
    assert c.action_servers == 0 and not list(c.run_dir.glob("actions-*.pid"))
    sender = new_id()
    answers = [post_rest(c.nginx, sender, text) for text in FLOW]
    assert answers == reference
    assert_stored_once_in_order(postgres_server, sender, FLOW, answers)
    a, b = c.servers
    other = new_id()
    assert [post_rest((a, b)[i % 2], other, text) for i, text in enumerate(FLOW)] == reference


# ------------------------------------------------------------------------------------------------ Ctrl-C


def test_ctrl_c_stops_every_process_the_script_started(cluster):
    """Last in this module: the session's cluster is stopped here (its fixture then has nothing to do)."""
    pids = [int(p.read_text()) for p in cluster.run_dir.glob("*.pid")]  # each server's, and nginx's own
    assert len(pids) == cluster.rasa_servers + cluster.action_servers + 1
    ports = cluster.rasa_ports + cluster.action_ports + [cluster.port, cluster.action_lb]
    code = cluster.stop()
    assert code == 130 and "run-cluster: stopped" in "".join(cluster.output)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            __import__("os").kill(pid, 0)
    for port in ports:
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still open"
