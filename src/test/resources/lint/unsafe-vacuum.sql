-- a file of SQL a changeset runs
vacuum full users;
