"""The 统计通报 page: charts of the station's figures (QtCharts, loaded after the page
is painted), the daily report and the bulletin as PDFs previewed in the page
(QtPdf) and saved where the user chooses, and the monthly points ranking with its
suggested deductions and objections."""
