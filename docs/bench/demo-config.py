"""Writes DIR/switchman.yaml: the demo's config with its state in DIR/state and the ports given, so a benchmark's
stack runs beside anything else on the machine. Usage: demo-config.py DIR ROUTER ADMIN BLUE GREEN"""
import re
import sys

d, router, admin, blue, green = sys.argv[1:]
text = open("src/main/resources/demo/switchman.yaml").read()
text = text.replace("stateDir: .switchman", "stateDir: state")
text = re.sub(r"port: 8080", "port: " + router, text)
text = re.sub(r"adminPort: 8079", "adminPort: " + admin, text)
text = re.sub(r"blue: 8081", "blue: " + blue, text)
text = re.sub(r"green: 8082", "green: " + green, text)
open(d + "/switchman.yaml", "w").write(text)
