#!/usr/bin/python3
"""make-directory-ldif.py: generates a test directory (LDIF for slapadd) for the directory sync's
integration test and benchmark.

Usage: make-directory-ldif.py SUFFIX PREFIX USERS GROUPS STYLE [--nested] [--cards N]
  SUFFIX  e.g. dc=students,dc=test     PREFIX  login prefix ("s" -> s00001, s00002, ...)
  STYLE   member | uniqueMember | memberUid (the groups' member attribute)
  --nested  (member/uniqueMember) group 1 contains the other groups, and groups 2 and 3 contain
            each other (a cycle)
  --cards N  every user has one card (badgeNumber, hexadecimal); every Nth user a second one
The base entry, ou=people, ou=groups and a reader (cn=reader,SUFFIX, password "secret") come
first. Users are split evenly over the groups (user i in group i % GROUPS).
"""
import sys


def main():
    args = sys.argv[1:]
    nested = "--nested" in args
    cards_every = 0
    if "--cards" in args:
        at = args.index("--cards")
        cards_every = int(args[at + 1])
        del args[at:at + 2]
    args = [a for a in args if a != "--nested"]
    suffix, prefix, users, groups, style = args[0], args[1], int(args[2]), int(args[3]), args[4]
    first = suffix.split(",")[0].split("=")[1]
    out = sys.stdout
    width = max(4, len(str(users)))
    out.write(f"dn: {suffix}\nobjectClass: dcObject\nobjectClass: organization\n"
              f"dc: {first}\no: {first}\n\n")
    out.write(f"dn: ou=people,{suffix}\nobjectClass: organizationalUnit\nou: people\n\n")
    out.write(f"dn: ou=groups,{suffix}\nobjectClass: organizationalUnit\nou: groups\n\n")
    out.write(f"dn: cn=reader,{suffix}\nobjectClass: organizationalRole\n"
              f"objectClass: simpleSecurityObject\ncn: reader\nuserPassword: secret\n\n")
    logins = []
    for i in range(1, users + 1):
        login = f"{prefix}{i:0{width}d}"
        logins.append(login)
        out.write(f"dn: uid={login},ou=people,{suffix}\nobjectClass: inetOrgPerson\n")
        if cards_every:
            out.write("objectClass: badgeHolder\n")
        out.write(f"uid: {login}\ncn: User {login}\nsn: {login}\nmail: {login}@{first}.test\n"
                  f"departmentNumber: dept{i % 7}\n")
        if cards_every:
            out.write(f"badgeNumber: {0x04000000 + i:08x}\n")
            if i % cards_every == 0:
                out.write(f"badgeNumber: {0x05000000 + i:08x}\n")
        out.write("\n")
    members = [[] for _ in range(groups)]
    for i, login in enumerate(logins):
        members[i % groups].append(login)
    for g in range(groups):
        name = f"{prefix}group{g + 1}"
        dn = f"cn={name},ou=groups,{suffix}"
        if style == "memberUid":
            out.write(f"dn: {dn}\nobjectClass: posixGroup\ncn: {name}\ngidNumber: {1000 + g}\n")
            for login in members[g]:
                out.write(f"memberUid: {login}\n")
        else:
            cls = "groupOfNames" if style == "member" else "groupOfUniqueNames"
            out.write(f"dn: {dn}\nobjectClass: {cls}\ncn: {name}\n")
            values = [f"uid={login},ou=people,{suffix}" for login in members[g]]
            if nested and g == 0:
                values += [f"cn={prefix}group{h + 1},ou=groups,{suffix}" for h in range(1, groups)]
            if nested and g in (1, 2) and groups >= 3:
                other = 3 if g == 1 else 2
                values.append(f"cn={prefix}group{other},ou=groups,{suffix}")
            if not values:  # groupOfNames needs a member
                values.append(f"cn=reader,{suffix}")
            for value in values:
                out.write(f"{style}: {value}\n")
        out.write("\n")


main()
