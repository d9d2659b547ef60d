"""The public satisfaction survey and index (IKM/SKM) after PermenPANRB 14/2017: the nine
unsur (questionnaire), the index (index), the sample table (sample), taking the survey
(survey), reports (report) and paper surveys (paper)."""
