"""/quiz and 学防骗: pick a quiz, answer one question at a time, see the score, review mistakes.

Progress is saved after every answer, so a quiz resumes where it stopped, even after a
restart. An answer is accepted only for the question the user is on: a second press of the
same buttons (a double tap, or an old message) changes nothing. The figures count a quiz
started from its first question, and a quiz finished with its score.
"""

from __future__ import annotations

from dataclasses import replace

from bot.content.models import ANSWER_LETTERS, Quiz
from bot.dialog.context import Turn
from bot.stats.counters import record_quiz_finish, record_quiz_start
from bot.storage import Mistake, QuizProgress
from bot.texts import EXPIRED
from bot.views import callbacks
from bot.views.quiz import option_text, question_head, question_reply
from bot.views.replies import Button, Reply, Response, Rows, say, split

ALREADY_ANSWERED = "这道题您已经答过了，请看下面的下一题"
#: A quiz the user moved on in within this many seconds is still on screen: an answer typed
#: (B, 选B, 第二个) is taken for its question.
ON_SCREEN_SECONDS = 60 * 60


def _stale() -> Response:
    return Response(notice=EXPIRED, stale=True)


def _progress(turn: Turn, quiz: Quiz) -> QuizProgress:
    saved = turn.storage.get_progress(turn.user.id, quiz.id)
    return saved or QuizProgress(user_id=turn.user.id, quiz_id=quiz.id)


def _quiz_button(quiz: Quiz, progress: QuizProgress | None) -> Button:
    total = len(quiz.questions)
    label = quiz.title
    if progress is not None and progress.finished:
        label = f"✅ {quiz.title} {progress.score}/{total}"
    elif progress is not None and 0 < progress.position < total:
        label = f"▶️ {quiz.title}（第 {progress.position + 1} 题）"
    return Button(label, callbacks.encode("qs", quiz.id))


def choose(turn: Turn) -> Response:
    """The list of quizzes, one button each, marked with the user's progress."""
    quizzes = turn.content.quizzes
    saved = turn.storage.all_progress(turn.user.id)
    lines = ["📖 学防骗：选一个小测验，每次一道题，点按钮作答。", ""]
    lines += [f"· {q.title}：{q.description}" for q in quizzes]
    buttons = tuple((_quiz_button(q, saved.get(q.id)),) for q in quizzes)
    return say(Reply("\n".join(lines), buttons=buttons))


def _encouragement(score: int, total: int) -> str:
    if score == total:
        return "太棒了，全部答对！记住：不听、不信、不转账。"
    if score * 10 >= total * 7:
        return "很不错！看看答错的题，下次就能全对。"
    return "别灰心，看看答错的题，多练几次就记住了。"


def _result(quiz: Quiz, progress: QuizProgress) -> Reply:
    total = len(quiz.questions)
    body = f"🎉 做完了！「{quiz.title}」您答对了 {progress.score}/{total} 题。\n" + _encouragement(
        progress.score, total
    )
    rows: list[tuple[Button, ...]] = []
    if progress.mistakes:
        rows.append((Button("📋 看看错题", callbacks.encode("qr", quiz.id)),))
    rows.append((Button("🔁 再做一次", callbacks.encode("qg", quiz.id)),))
    rows.append((Button("📚 换一个测验", callbacks.encode("ql")),))
    return Reply(body, buttons=tuple(rows))


def start(turn: Turn, quiz_id: str) -> Response:
    """Start a quiz, resume it where the user stopped, or show the score of a finished one."""
    quiz = turn.content.quiz(quiz_id)
    if quiz is None:
        return _stale()
    progress = turn.storage.get_progress(turn.user.id, quiz.id)
    if progress is None:  # saved at once, so that a second tap counts no second start
        progress = QuizProgress(user_id=turn.user.id, quiz_id=quiz.id)
        turn.storage.save_progress(progress)
        record_quiz_start(turn.storage, turn.day, quiz.id)
    if progress.finished:
        return say(_result(quiz, progress))
    if progress.position >= len(quiz.questions):  # the quiz got shorter since
        progress = replace(progress, finished=True)
        turn.storage.save_progress(progress)
        return say(_result(quiz, progress))
    return say(question_reply(quiz, progress.position))


def again(turn: Turn, quiz_id: str) -> Response:
    """Take a quiz again from the first question."""
    quiz = turn.content.quiz(quiz_id)
    if quiz is None:
        return _stale()
    fresh = QuizProgress(user_id=turn.user.id, quiz_id=quiz.id)
    # A double tap on 再做一次 finds the fresh round already saved: one start, not two.
    if turn.storage.get_progress(turn.user.id, quiz.id) != fresh:
        record_quiz_start(turn.storage, turn.day, quiz.id)
    turn.storage.save_progress(fresh)
    return say(question_reply(quiz, 0))


def answer(turn: Turn, quiz_id: str, index: int, option: int) -> Response:
    """Mark the answer, explain it in place of the question, then ask the next one."""
    quiz = turn.content.quiz(quiz_id)
    if quiz is None or index >= len(quiz.questions):
        return _stale()
    question = quiz.questions[index]
    if option >= len(question.options):
        return _stale()
    progress = _progress(turn, quiz)
    if progress.finished or index != progress.position:
        if not progress.finished and index < progress.position:
            return Response(notice=ALREADY_ANSWERED, stale=True)
        return _stale()
    right = option == question.answer_index
    mistakes = progress.mistakes if right else (*progress.mistakes, Mistake(index, option))
    done = index + 1 >= len(quiz.questions)
    progress = replace(
        progress,
        position=index + 1,
        score=progress.score + int(right),
        mistakes=mistakes,
        finished=done,
    )
    turn.storage.save_progress(progress)
    if done:
        record_quiz_finish(turn.storage, turn.day, quiz.id, progress.score, len(quiz.questions))

    verdict = (
        "✅ 答对了！"
        if right
        else f"❌ 不对。正确答案是 {option_text(question, question.answer_index)}"
    )
    marked = "\n".join(
        (
            question_head(quiz, index),
            "",
            f"您选了：{option_text(question, option)}",
            verdict,
            "",
            f"💡 {question.explanation}",
        )
    )
    follow = _result(quiz, progress) if done else question_reply(quiz, index + 1)
    return say(Reply(marked, edit=True), follow, notice="✅ 答对了" if right else "❌ 答错了")


def review(turn: Turn, quiz_id: str) -> Response:
    """The questions answered wrongly last time, with the right answers and explanations."""
    quiz = turn.content.quiz(quiz_id)
    if quiz is None:
        return _stale()
    progress = _progress(turn, quiz)
    if not progress.finished:
        return _stale()
    items = []
    for m in progress.mistakes:
        if m.question >= len(quiz.questions):
            continue
        q = quiz.questions[m.question]
        chosen = option_text(q, m.chosen) if m.chosen < len(q.options) else "—"
        items.append(
            f"❌ 第 {m.question + 1} 题：{q.question}\n您选了：{chosen}\n"
            f"正确答案：{option_text(q, q.answer_index)}\n💡 {q.explanation}"
        )
    again_button: Rows = ((Button("🔁 再做一次", callbacks.encode("qg", quiz.id)),),)
    if not items:
        return say(Reply("这次全部答对了，没有错题。👍", buttons=again_button))
    pieces = split(f"📋 「{quiz.title}」的错题\n\n" + "\n\n".join(items))
    replies = [Reply(p) for p in pieces[:-1]]
    replies.append(Reply(pieces[-1], buttons=again_button))
    return say(*replies)


def on_screen(turn: Turn) -> tuple[Quiz, QuizProgress] | None:
    """The quiz whose question the user is looking at, if they are in the middle of one."""
    progress = turn.storage.current_quiz(turn.user.id, int(turn.now) - ON_SCREEN_SECONDS)
    if progress is None:
        return None
    found = turn.content.quiz(progress.quiz_id)
    if found is None or progress.position >= len(found.questions):
        return None
    return found, progress


def typed_answer(turn: Turn, on: tuple[Quiz, QuizProgress], option: int) -> Response:
    """An answer typed instead of pressed: marked exactly as the button would be."""
    found, progress = on
    question = found.questions[progress.position]
    if option >= len(question.options):
        letters = "、".join(ANSWER_LETTERS[: len(question.options)])
        head = f"这道题只有 {letters} {len(question.options)} 个选项，请点按钮，或者打字母。"
        return say(Reply(head), question_reply(found, progress.position))
    response = answer(turn, found.id, progress.position, option)
    # Typed, not pressed: there is no message to edit and no button to answer.
    return replace(response, notice=None)


def answer_hint(turn: Turn, on: tuple[Quiz, QuizProgress]) -> Response:
    """A text during a quiz that is no answer the bot understands: how to answer, and the
    question again."""
    found, progress = on
    question = found.questions[progress.position]
    letters = "、".join(ANSWER_LETTERS[: len(question.options)])
    head = f"我没看明白您选的是哪个。请点下面的按钮，或者打字母 {letters}。"
    return say(Reply(head), question_reply(found, progress.position))
