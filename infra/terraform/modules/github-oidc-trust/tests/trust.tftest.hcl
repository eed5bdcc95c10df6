variables {
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
  repository        = "example-org/runway"
}

run "trusts_only_the_exact_subjects_of_this_repository" {
  command = plan

  variables {
    subjects = ["environment:prod"]
  }

  assert {
    condition     = jsondecode(output.json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:example-org/runway:environment:prod"]
    error_message = "the trust policy must pin the full subject"
  }

  assert {
    condition     = jsondecode(output.json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    error_message = "the trust policy must require the STS audience"
  }

  assert {
    condition     = !can(jsondecode(output.json).Statement[0].Condition.StringLike)
    error_message = "the trust policy must not use StringLike"
  }

  assert {
    condition     = jsondecode(output.json).Statement[0].Principal.Federated == var.oidc_provider_arn
    error_message = "only the GitHub OIDC provider may be trusted"
  }
}

run "rejects_a_wildcard_subject" {
  command = plan

  variables {
    subjects = ["ref:refs/heads/*"]
  }

  expect_failures = [var.subjects]
}

run "rejects_a_wildcard_repository" {
  command = plan

  variables {
    repository = "example-org/*"
    subjects   = ["environment:infra-plan"]
  }

  expect_failures = [var.repository]
}

run "rejects_another_identity_provider" {
  command = plan

  variables {
    oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/gitlab.com"
    subjects          = ["environment:infra-plan"]
  }

  expect_failures = [var.oidc_provider_arn]
}

run "rejects_pull_request_tokens" {
  command = plan

  variables {
    subjects = ["pull_request"]
  }

  expect_failures = [var.subjects]
}

run "rejects_no_subject" {
  command = plan

  variables {
    subjects = []
  }

  expect_failures = [var.subjects]
}
