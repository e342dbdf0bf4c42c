"""Checks that need more than one field: quizzes, guidance, buttons and message sizes.

A single field's type and length are the models' job; what is checked here needs the whole
file, or the file rendered as the bot would send it (Telegram's limits on buttons and
messages).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import yaml
from pydantic import BaseModel

from bot.content.models import ANSWER_LETTERS, Guidance, Quiz
from bot.content.problems import Problem
from bot.content.yaml_lines import node_at
from bot.taxonomy import CATEGORY_NAMES
from bot.views import callbacks
from bot.views.guide import page_reply
from bot.views.quiz import question_reply
from bot.views.replies import length
from bot.views.sos import SOS_MAX, SOS_STEPS, sos_text

#: Longest answer option, in characters: each option must read well on a button.
MAX_OPTION = 40
#: Longest quiz title: it is the label of the quiz's button.
MAX_QUIZ_TITLE = 40
#: Telegram's limit on one message, in characters (UTF-16 code units, as Telegram counts).
MAX_MESSAGE = 4096


def semantic_problems(model: BaseModel, node: yaml.Node, file: str) -> list[Problem]:
    """Checks a single field cannot make: answers in range, repeats, Telegram's limits."""
    if isinstance(model, Quiz):
        return list(_quiz_problems(model, node, file))
    if isinstance(model, Guidance):
        return list(_guidance_problems(model, node, file))
    return []


def _quiz_problems(quiz: Quiz, node: yaml.Node, file: str) -> Iterator[Problem]:
    if len(quiz.title) > MAX_QUIZ_TITLE:
        yield Problem(
            file,
            node_at(node, ("title",)),
            f"title 太长（{len(quiz.title)} 个字）：标题会写在按钮上，最多 {MAX_QUIZ_TITLE} 个字",
        )
    fits = _callback_room(quiz.id, len(quiz.questions))
    if fits is not None:
        yield Problem(file, node_at(node, ("id",)), fits)
        # The id is not shown, so the messages are measured with one that fits.
        quiz = quiz.model_copy(update={"id": "q"})
    asked: dict[str, int] = {}
    for i, q in enumerate(quiz.questions):
        here = ("questions", i)
        if q.answer_index >= len(q.options):
            yield Problem(
                file,
                node_at(node, (*here, "answer")),
                f"第 {i + 1} 题的答案是 {q.answer}，但只有 {len(q.options)} 个选项"
                f"（A–{ANSWER_LETTERS[len(q.options) - 1]}）：请改 answer，或补上选项",
            )
        if q.question in asked:
            yield Problem(
                file,
                node_at(node, (*here, "question")),
                f"第 {i + 1} 题和第 {asked[q.question] + 1} 题的题目一模一样：删掉一道，或改写一下",
            )
        asked.setdefault(q.question, i)
        seen: dict[str, int] = {}
        for j, opt in enumerate(q.options):
            if opt in seen:
                yield Problem(
                    file,
                    node_at(node, (*here, "options", j)),
                    f"第 {i + 1} 题有两个一样的选项：{ANSWER_LETTERS[seen[opt]]} 和 "
                    f"{ANSWER_LETTERS[j]} 都是“{opt}”，请改掉一个",
                )
            seen.setdefault(opt, j)
            if len(opt) > MAX_OPTION:
                yield Problem(
                    file,
                    node_at(node, (*here, "options", j)),
                    f"第 {i + 1} 题的选项 {ANSWER_LETTERS[j]} 太长（{len(opt)} 个字），"
                    f"按钮上放不下 (too long for a button)：每个选项最多 {MAX_OPTION} 个字",
                )
        yield from _quiz_message_problems(quiz, i, node, file)


def _quiz_message_problems(quiz: Quiz, i: int, node: yaml.Node, file: str) -> Iterator[Problem]:
    """Question `i` as the bot sends it must fit in one Telegram message."""
    q = quiz.questions[i]
    shown = length(question_reply(quiz, i).text)
    if shown > MAX_MESSAGE:
        yield Problem(
            file,
            node_at(node, ("questions", i, "question")),
            f"第 {i + 1} 题连同选项有 {shown} 个字，超过了 Telegram 一条消息的上限 "
            f"{MAX_MESSAGE} 个字：请缩短题目或选项",
        )
        return
    # After an answer the bot shows the question again with the chosen and the right option
    # and the explanation; this bound is a little above what it sends.
    longest = max(length(o) for o in q.options)
    answered = shown + 2 * (longest + 20) + length(q.explanation) + 10
    if answered > MAX_MESSAGE:
        yield Problem(
            file,
            node_at(node, ("questions", i, "explanation")),
            f"第 {i + 1} 题答完后显示的消息（题目、选项和 explanation）约 {answered} 个字，"
            f"超过了 Telegram 一条消息的上限 {MAX_MESSAGE} 个字：请缩短解析或题目",
        )


@lru_cache(maxsize=1)
def _longest_quiz_id() -> int:
    """The longest quiz id the bot's buttons can carry (their data is at most 64 bytes)."""
    for size in range(40, 0, -1):
        try:
            callbacks.encode("qa", "a" * size, 0, 0)
        except ValueError:
            continue
        return size
    return 0


def _callback_room(quiz_id: str, questions: int) -> str | None:
    """Why this quiz's buttons could not be made, or None when they can."""
    try:
        callbacks.encode("qs", quiz_id)
        callbacks.encode("qa", quiz_id, questions - 1, len(ANSWER_LETTERS) - 1)
    except ValueError:
        longest = _longest_quiz_id()
        if len(quiz_id) > longest:
            return (
                f"测验编号 id '{quiz_id}' 太长（{len(quiz_id)} 个字符），按钮里放不下："
                f"最多 {longest} 个字符"
            )
        return f"测验 '{quiz_id}' 的题目太多（{questions} 道），按钮里放不下：请分成几个测验"
    return None


def _guidance_problems(guidance: Guidance, node: yaml.Node, file: str) -> Iterator[Problem]:
    carded: dict[str, int] = {}
    for i, card in enumerate(guidance.cards):
        if card.category in carded:
            yield Problem(
                file,
                node_at(node, ("cards", i, "category")),
                f"类别 '{card.category}' 已经有一张卡片了（第 {carded[card.category] + 1} 张）："
                "每种骗局只写一张卡片",
            )
            continue
        carded[card.category] = i
        name = CATEGORY_NAMES[card.category]
        if card.title != name:
            # Seniors meet each scam under one name: in the verdict, on its card, in figures.
            yield Problem(
                file,
                node_at(node, ("cards", i, "title")),
                f"第 {i + 1} 张卡片的 title 要写这类骗局的名称“{name}”（现在是“{card.title}”）："
                "判断结果、卡片和统计都用同一个名字，老人才不会糊涂",
            )
    shown_sos = length(sos_text(guidance))
    if shown_sos > SOS_MAX:
        yield Problem(
            file,
            node_at(node, ("money_already_sent",)),
            f"求助页（money_already_sent 的前 {SOS_STEPS} 条和 hotlines 的号码、名称）显示出来有 "
            f"{shown_sos} 个字，最多 {SOS_MAX} 个字：着急的人要一眼看完，请写短一些",
        )
    # Render every page exactly as the bot does.
    for page in range(1 + len(guidance.cards)):
        shown = length(page_reply(guidance, page, edit=False).text)
        if shown <= MAX_MESSAGE:
            continue
        if page == 0:
            place, line = (
                "三不口诀那一页（welcome、rule、talk_to_family）",
                node_at(node, ("rule",)),
            )
        else:
            place, line = f"第 {page} 张卡片（cards）", node_at(node, ("cards", page - 1))
        yield Problem(
            file,
            line,
            f"{place}显示出来有 {shown} 个字，超过了 Telegram 一条消息的上限 "
            f"{MAX_MESSAGE} 个字：请写短一些",
        )
