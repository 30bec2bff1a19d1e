// Written by Switchman beside its include: picks the colour of each request by the weights in the file below,
// which Switchman replaces atomically, so a weight change needs no reload. njs 0.7 runs every request in a fresh
// VM (module variables do not outlive a request, and ngx.shared comes only in 0.8), so the file is read each time:
// a small file from the page cache. Each request is picked alone, so one keep-alive connection may reach both.
import fs from 'fs';

var WEIGHTS = @WEIGHTS_FILE@;

function colour(r) {
    var weights;
    try {
        weights = JSON.parse(fs.readFileSync(WEIGHTS, 'utf8'));
    } catch (e) {
        r.error('switchman: cannot read ' + WEIGHTS + ': ' + e.message);
        return 'none';
    }
    var blue = weights.blue > 0 ? weights.blue : 0;
    var green = weights.green > 0 ? weights.green : 0;
    if (blue + green === 0) {
        return 'none';
    }
    return Math.random() * (blue + green) < blue ? 'blue' : 'green';
}

export default { colour };
