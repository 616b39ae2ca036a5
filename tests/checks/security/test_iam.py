"""Tests of the security checks SEC-IAM-*: identity."""

from factories import SUB, arm, by_subject, detail_of, run

OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"


def role_assignment(n: int, role: str, scope: str, principal_type: str = "User") -> dict:
    guid = f"00000000-0000-0000-0000-{n:012d}"
    return arm("microsoft.authorization/roleassignments", guid, {
        "roleDefinitionId": f"/subscriptions/{scope.split('/')[2]}/providers/"
                            f"Microsoft.Authorization/roleDefinitions/{role}",
        "principalId": f"aaaaaaaa-0000-0000-0000-{n:012d}",
        "principalType": principal_type, "scope": scope, "createdOn": "2025-03-01T10:00:00Z",
    }, id=f"{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}",
        subscriptionId=scope.split("/")[2], resourceGroup="", location=None,
        arg_table="authorizationresources")


def test_subscription_owner_count():
    other = "9a9a9a9a-0000-4000-8000-000000000001"
    rows = [role_assignment(i, OWNER, f"/subscriptions/{SUB}") for i in range(5)]
    rows += [role_assignment(10, OWNER, f"/subscriptions/{other}", "Group"),
             role_assignment(11, OWNER, f"/subscriptions/{other}/resourceGroups/rg-x"),
             role_assignment(12, READER, f"/subscriptions/{other}")]
    result = run("SEC-IAM-001", {"azure_resources": rows})
    assert by_subject(result) == {SUB: "fail", other: "pass"}
    assert detail_of(result, SUB).startswith("5 standing Owner assignments")
    assert "(5 User)" in detail_of(result, SUB)
    assert detail_of(result, other).startswith(
        "1 standing Owner assignment at subscription scope (1 Group)")


def test_subscription_owners_real_bodies():
    from factories import real_body, renamed
    owner = ("/providers/Microsoft.Authorization/roleDefinitions/"
             "8e3af657-a8ff-443c-a75c-2fe8c4bcb635")                   # built-in Owner
    reader = real_body("role_assignment_user")           # a user, not Owner, at the subscription
    owners = [renamed(real_body("role_assignment_user",
                                set={"properties.roleDefinitionId": owner}), f"owner-{i}")
              for i in range(4)]
    result = run("SEC-IAM-001", {"azure_resources": [reader, *owners[:1]]})
    assert result.status.tolist() == ["pass"]
    assert result.detail[0] == ("1 standing Owner assignment at subscription scope (1 User); at "
                                "most 3 recommended")
    result = run("SEC-IAM-001", {"azure_resources": [reader, *owners]})
    assert result.status.tolist() == ["fail"]
    assert result.subject[0] == "/subscriptions/a925f2f7-5c63-4b7b-8799-25a5f97bc3b2"
