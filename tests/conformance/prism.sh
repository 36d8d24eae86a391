# Shared by run.sh and sweep.sh (sourced): Prism installed from package.json, free ports, and
# waiting for a server to listen. Needs $here (this folder) and $work (a scratch folder).
free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_port() { # wait_port PORT SECONDS
  for _ in $(seq 1 $(( $2 * 10 ))); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
install_prism() {
  # npm trusts Node's bundled CAs only; also trust the system's (proxies with their own CA).
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
  fi
  [ -x "$here/node_modules/.bin/prism" ] && return 0
  (cd "$here" && npm install --no-audit --no-fund --no-package-lock >"$work/npm.log" 2>&1) \
    || { echo "npm install of Prism failed:"; tail -30 "$work/npm.log"; return 1; }
}
