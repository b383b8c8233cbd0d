"""The district craftsman title in the back office: rounds with their scheme and panel
(`rounds`), nominations with their eligibility, scores and objections (`nominations`), the title
register with its benefits and the awards with their ledger and bank batches (`register`)."""

from gongjia.craftsmen.admin import nominations, register, rounds  # noqa: F401  registers them
