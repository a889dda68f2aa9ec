"""Korean beside the names a figure shows (models, orders, periods, horizons), for the Korean
room and reader: ``bilingual("reversed")`` is ``"reversed (뒤집은 순서)"``. Names stay English
in data and code; the Korean is added only where a figure draws them.
"""

from __future__ import annotations

import re

# Korean beside names that are data (rows and columns of the committed CSVs, model names),
# added only where a figure shows them, so files and code keep one spelling. The terms are
# those of the Korean edition (../shared/KOREAN.md): 단순 예측, 루옹 어텐션, 완전 일치 ...
KOREAN_NAMES = {
    # translation models (attention_runs.csv, transformer_runs.csv, notebooks 03-07, 11)
    "no attention": "어텐션 없음",
    "Seq2Seq, no attention": "어텐션 없음",
    "Seq2Seq, in order": "어텐션 없음",
    "Luong (dot)": "루옹 어텐션",
    "Luong (general)": "루옹 어텐션",
    "Luong (concat)": "루옹 어텐션",
    "Bahdanau": "바다나우 어텐션",
    "Bahdanau, bidirectional encoder": "바다나우 어텐션, 양방향 인코더",
    "Transformer": "트랜스포머",
    # source order (seq2seq_runs.csv, notebook 04)
    "in order": "원래 순서",
    "reversed": "뒤집은 순서",
    # scores and curves
    "exact match": "완전 일치",
    "token accuracy": "토큰 정확도",
    "training": "학습",
    "validation": "검증",
    # notebook 02: is the English word already read when its Korean word is written?
    "already read": "이미 읽음",
    "comes later": "나중에 나옴",
    # price forecasting (forecast_*.csv, notebooks 09 and 10)
    "naive (last price)": "단순 예측",
    "same weekday last week": "지난주 같은 요일",
    "trailing 7-day mean": "최근 7일 평균",
    "Model 1: LSTM": "모델 1",
    "Model 2: LSTM + attention": "모델 2",
    "Model 3: CNN + BiLSTM + attention": "모델 3",
    "gradient-boosted trees": "부스팅 트리",
    "three networks + trees (weight 0.5)": "신경망과 트리의 혼합",
    "price and trading days": "가격과 거래일",
    "+ season": "+ 계절",
    "all 7 inputs": "입력 7개 전체",
    "test year": "테스트 연도",
    "previous year": "전년도",
    "year before that": "전전년도",
    "validation half-year": "검증용 반년",
}
_HORIZON = re.compile(r"(\d+) days")
_ENSEMBLE = re.compile(r"(.+), (\d+)-seed ensemble")


def _korean_name(name: str) -> str | None:
    if name in KOREAN_NAMES:
        return KOREAN_NAMES[name]
    if match := _HORIZON.fullmatch(name):
        return f"{match[1]}일 뒤"
    if (match := _ENSEMBLE.fullmatch(name)) and match[1] in KOREAN_NAMES:
        return f"{KOREAN_NAMES[match[1]]}, 시드 {match[2]}개 앙상블"
    return None


def bilingual(name) -> str:
    """``name`` as a figure shows it, its Korean beside it: "reversed (뒤집은 순서)",
    "naive (last price) · 단순 예측", "7 days (7일 뒤)".

    Names not in :data:`KOREAN_NAMES` (nor a horizon or a seed ensemble of one) come back
    unchanged, so a label never gets a wrong gloss. Use it at display time only: the data
    keep the English name.
    """
    text = str(name)
    korean = _korean_name(text)
    if korean is None:
        return text
    return f"{text} · {korean}" if "(" in text else f"{text} ({korean})"
