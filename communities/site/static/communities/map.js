/* Maps of the public site, on the Leaflet served from /static/vendor/ (never a CDN).
 *
 * Every element with [data-map] becomes a map. Its data attributes say what to draw:
 *   data-tile-url, data-tile-attribution  the tile server (settings MAP_TILE_URL and
 *                                         MAP_TILE_ATTRIBUTION); empty means no tiles
 *   data-geojson                          the API's GeoJSON of communities to draw as markers
 *   data-cluster="true"                   cluster close markers (Leaflet.markercluster)
 *   data-point, data-point-label,         one community's marker ("lat,lng")
 *   data-point-status
 *   data-bounds                           "min_lat,min_lng,max_lat,max_lng", the first view
 *   data-msg-*                            translated messages for the status line
 * When tiles cannot load, the markers stay on a plain background and a note says so; the page
 * around the map always lists the same communities. When the markers are drawn the element
 * gets data-state="ready" and data-marker-count; on failure data-state="error".
 */
(function () {
  "use strict";

  var STATUSES = ["completed", "under_construction", "planned", "not_started"];

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function say(el, text) {
    var line = byId(el.dataset.statusId);
    if (line) {
      line.textContent = text || "";
    }
  }

  function parseNumbers(text, count) {
    var parts = (text || "").split(",").map(function (part) {
      return parseFloat(part);
    });
    if (parts.length !== count || !parts.every(isFinite)) {
      return null;
    }
    return parts;
  }

  function markerIcon(status) {
    var known = STATUSES.indexOf(status) >= 0 ? status : "unknown";
    return L.divIcon({
      className: "map-marker",
      html: '<span class="marker marker--' + known + '"></span>',
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -10],
    });
  }

  function labelled(marker, label) {
    // Give each marker an accessible name whenever it is (re)drawn. A focusable marker is a
    // button (Leaflet sets the role); a marker that is not (keyboard: false, the community
    // page's single point) is an image: aria-label is not allowed on a plain div.
    marker.on("add", function () {
      var element = marker.getElement();
      if (element) {
        if (!element.getAttribute("role")) {
          element.setAttribute("role", "img");
        }
        element.setAttribute("aria-label", label);
      }
    });
    return marker;
  }

  function popupContent(props) {
    var box = document.createElement("div");
    box.className = "popup";
    var title = document.createElement("strong");
    if (props.url) {
      var link = document.createElement("a");
      link.href = props.url;
      link.textContent = props.name;
      title.appendChild(link);
    } else {
      title.textContent = props.name;
    }
    box.appendChild(title);
    var meta = [props.district_name || props.district, props.status_display]
      .filter(Boolean)
      .join(" · ");
    if (meta) {
      var line = document.createElement("div");
      line.textContent = meta;
      box.appendChild(line);
    }
    return box;
  }

  function addTiles(map, el) {
    var url = el.dataset.tileUrl;
    if (!url) {
      el.classList.add("map--plain");
      return;
    }
    var layer = L.tileLayer(url, {
      attribution: el.dataset.tileAttribution || "",
      maxZoom: 19,
      // The site sends no Referer to other origins; tile servers such as OpenStreetMap's
      // require one, so the tiles send the origin.
      referrerPolicy: "strict-origin-when-cross-origin",
    });
    var failed = false;
    layer.on("tileerror", function () {
      if (failed) {
        return;
      }
      failed = true;
      el.classList.add("map--plain");
      var note = byId(el.dataset.noteId);
      if (note) {
        note.hidden = false;
      }
    });
    layer.addTo(map);
  }

  function drawFeatures(map, el, data) {
    var cluster = el.dataset.cluster === "true" && typeof L.markerClusterGroup === "function";
    var group = cluster
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 })
      : L.featureGroup();
    var count = 0;
    (data.features || []).forEach(function (feature) {
      var geometry = feature.geometry;
      var props = feature.properties || {};
      if (!geometry || geometry.type !== "Point" || !geometry.coordinates) {
        return;
      }
      var lng = Number(geometry.coordinates[0]);
      var lat = Number(geometry.coordinates[1]);
      if (!isFinite(lat) || !isFinite(lng)) {
        return;
      }
      var name = String(props.name || "");
      var label = [name, props.status_display].filter(Boolean).join(", ");
      var marker = L.marker([lat, lng], {
        icon: markerIcon(props.status),
        title: label,
        keyboard: true,
        riseOnHover: true,
      });
      marker.bindPopup(popupContent(props));
      group.addLayer(labelled(marker, label));
      count += 1;
    });
    map.addLayer(group);
    if (count) {
      map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 16 });
      say(el, (el.dataset.msgCount || "%(count)s").replace("%(count)s", count));
    } else {
      say(el, el.dataset.msgNone);
    }
    el.dataset.markerCount = String(count);
    el.dataset.state = "ready";
  }

  function loadFeatures(map, el) {
    fetch(el.dataset.geojson, {
      headers: { Accept: "application/geo+json, application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.status === 400) {
          // Too many communities for one map, or a malformed filter: the server says which.
          return response.json().then(function (body) {
            var messages = [];
            Object.keys(body || {}).forEach(function (key) {
              messages = messages.concat(body[key]);
            });
            var error = new Error("HTTP 400");
            error.userMessage = messages.join(" ");
            throw error;
          });
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        drawFeatures(map, el, data);
      })
      .catch(function (error) {
        el.dataset.state = "error";
        say(el, (error && error.userMessage) || el.dataset.msgLoadFailed);
      });
  }

  function drawPoint(map, el) {
    var point = parseNumbers(el.dataset.point, 2);
    if (!point) {
      return;
    }
    var label = el.dataset.pointLabel || "";
    var marker = L.marker(point, {
      icon: markerIcon(el.dataset.pointStatus),
      title: label,
      keyboard: false,
    });
    labelled(marker, label).addTo(map);
    map.setView(point, 16);
    el.dataset.markerCount = "1";
    el.dataset.state = "ready";
  }

  function init(el) {
    if (typeof L === "undefined") {
      return; // Leaflet did not load: the fallback text and the list stay.
    }
    el.textContent = "";
    var map = L.map(el, {
      scrollWheelZoom: el.dataset.scrollZoom === "true",
      zoomSnap: 0.5,
    });
    addTiles(map, el);
    var box = parseNumbers(el.dataset.bounds, 4);
    if (box) {
      map.fitBounds(
        [
          [box[0], box[1]],
          [box[2], box[3]],
        ],
        { padding: [24, 24], maxZoom: 15 }
      );
    } else {
      map.setView([35.5, 104.0], 4); // China, until the markers say where to look
    }
    if (el.dataset.point) {
      drawPoint(map, el);
    } else if (el.dataset.geojson) {
      loadFeatures(map, el);
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
