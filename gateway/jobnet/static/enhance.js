/* Runs first (in <head>): tells the stylesheet that scripts run, so the page is laid out for
   DKFDS's script (menu drawer, accordions) instead of for no JavaScript. */
document.documentElement.classList.add('js');
