"""The Xuchang 2014 figures the demo's records must add up to EXACTLY (the seed report, city-wide).

Figures the seed does not state (principal leaders in online interviews, reviews, lawsuits, complaints,
fees, staffing) are plausible demo values, named here so that tests can check them too."""

from __future__ import annotations

YEAR = 2014

ITEMS = 115144
NORMATIVE_ISSUED = 272
NORMATIVE_PUBLISHED = 247
CHANNELS = {
    "website": 59229,
    "gazette": 33,
    "weibo": 10126,
    "wechat": 3589,
    "other": 44481,
}  # 117458 postings
# Items posted on a second channel: every gazette item, and part of the Weibo/WeChat postings, are website
# items too; so the primary channels add up to ITEMS and the secondary postings to sum(CHANNELS) - ITEMS.
SECONDARY = {"gazette": 33, "weibo": 1500, "wechat": 781}

PORTAL_ITEMS = 9804
PORTAL_DOCUMENTS = 127  # of 许昌市人民政府 and its general office, with a document number
PORTAL_NORMATIVE = 40  # of those documents, normative documents
PORTAL_DEPARTMENT_ITEMS = 2000  # departments' items on the city portal (not city documents)
CITY_REQUESTS = 4

HOTLINE_CALLS = 2650  # the seed: "2600多个"; completion must print as 96.2%
HOTLINE_COMPLETED = 2549
MAILBOX_LETTERS = 8565
MAILBOX_REPLIED = 8421

EVENTS = 4179
PRESS_CONFERENCES = 14
PRESS_CONFERENCES_LEADER = 14
ONLINE_INTERVIEWS = 14
ONLINE_INTERVIEWS_LEADER = 4  # not in the seed
INTERPRETATIONS = 182
WEIBO_WECHAT_RESPONSES = 967
OTHER_RESPONSES = 3416

REQUEST_CHANNELS = {"in_person": 28, "online": 33, "letter": 51, "fax": 0}
REQUEST_OUTCOMES = {
    "2008.already_public": 57,
    "2008.disclosed": 36,
    "2008.partly_disclosed": 11,
    "2008.refused.privacy": 1,
    "2008.refused.not_gov_info": 6,
    "2008.not_this_body": 1,
}

# Not in the (truncated) seed: plausible demo values.
REVIEWS = {"upheld": 2, "corrected": 1}
LAWSUITS = {"upheld": 1}
COMPLAINTS = 3
