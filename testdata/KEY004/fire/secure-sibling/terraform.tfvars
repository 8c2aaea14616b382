bootstrap_value = "Fake-Sibling-Tf-99z"
location        = "westeurope"
