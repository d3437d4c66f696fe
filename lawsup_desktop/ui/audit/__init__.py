"""案件审核: the case register, the audit form, its review chain and the printed form."""
