"""A quiz question as the bot shows it: the question, its options and one button per option."""

from __future__ import annotations

from bot.content.models import ANSWER_LETTERS, Question, Quiz
from bot.views import callbacks
from bot.views.replies import Button, Reply

#: Options up to this many characters are written on the buttons themselves.
OPTION_ON_BUTTON = 16


def option_text(question: Question, index: int) -> str:
    """Option `index` with its letter: "B. 不听，直接挂断"."""
    return f"{ANSWER_LETTERS[index]}. {question.options[index]}"


def question_head(quiz: Quiz, index: int) -> str:
    """The title line and the question text of question `index`."""
    return f"📝 {quiz.title} · 第 {index + 1}/{len(quiz.questions)} 题\n\n{quiz.questions[index].question}"


def question_reply(quiz: Quiz, index: int) -> Reply:
    """Question `index` of `quiz`, with one answer button per option."""
    question = quiz.questions[index]
    head = question_head(quiz, index)
    indices = range(len(question.options))
    if all(len(o) <= OPTION_ON_BUTTON for o in question.options):
        body = head
        labels = [option_text(question, i) for i in indices]
    else:  # long options are written out; the buttons carry only the letters
        body = head + "\n\n" + "\n".join(option_text(question, i) for i in indices)
        labels = [ANSWER_LETTERS[i] for i in indices]
    buttons = tuple(
        (Button(label, callbacks.encode("qa", quiz.id, index, i)),)
        for i, label in enumerate(labels)
    )
    return Reply(body, buttons=buttons)
