// Start Swagger UI on the API's own description (no outside requests).
(function () {
  var holder = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: holder.getAttribute("data-spec"),
    domNode: holder,
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false
  });
})();
