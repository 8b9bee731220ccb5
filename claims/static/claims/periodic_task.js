// django-celery-beat's crontab help ("Translation: every hour ..."), as a file:
// the Content-Security-Policy refuses inline scripts. Text nodes, never HTML.
"use strict";
{
    const $ = django.jQuery;
    const readable = JSON.parse(document.getElementById("readable-crontabs").textContent);
    const originalHelp = document.getElementById("periodic-task-overrides").dataset.crontabHelp;
    $(".field-crontab_translation").hide();
    $(".field-crontab").change(function () {
        const translation = readable[$("#id_crontab").val()];
        $(".field-crontab .help").empty().append(
            document.createTextNode(originalHelp), $("<br>"), document.createTextNode(`Translation: ${translation}`)
        );
    });
}
