"""Jobs that combine the layers below: build a meeting pack, issue invitations."""
