"""The presentation room: what the product shows, without Streamlit.

Between services and ui. Formatting, tables as shown (headers in the reader's language, values rounded as
on the page), spreadsheet-ready downloads, static figures and the council documents (briefings, the
yearly evaluation, the security diagnosis) are built here from the services' results, so a page, a
document and the command line show the same figures. Nothing here computes a statistic or reads the
store directly; nothing here imports streamlit.
"""
