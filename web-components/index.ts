// Lit islands: each enhances server-rendered HTML that already works without JavaScript.
import './styles/app.css';
import './sj-diff-viewer.js';
import './sj-criteria-filter.js';
import './sj-criteria-picker.js';
import './sj-chart.js';
import './print-button.js';
import './time-zone.js';
import './site-menu.js';
